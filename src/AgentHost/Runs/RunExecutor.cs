using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using AgentHost.Telemetry;
using Microsoft.Extensions.Options;

namespace AgentHost.Runs;

/// <summary>
/// Where a run's job enters: a new run (<see cref="RunOpening"/>) or a parked one whose approval settled
/// (<see cref="ApprovalResumption"/>), both then driven by the <see cref="TurnLoop"/>. It owns what holds
/// for the whole drive: the run's span and log scope, the disabled-agent and no-model refusals, the wall
/// time, and that a run never stays "running" because something threw.
/// </summary>
public sealed partial class RunExecutor(
    RunStore runs,
    AgentStore agents,
    RunOpening opening,
    ApprovalResumption resumption,
    RunEndings endings,
    IOptions<ModelOptions> model,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    public async Task ExecuteAsync(string runId, CancellationToken cancellationToken)
    {
        // Re-entrant: a job that runs twice finds the run taken and does nothing.
        if (!await runs.TryStartAsync(runId, cancellationToken))
        {
            return;
        }

        var run = (await runs.GetAsync(runId, cancellationToken))!;
        await DriveAsync(run, resumed: null, cancellationToken);
    }

    /// <summary>Continues a parked run once its approval is settled; does nothing the second time.</summary>
    public async Task ResumeAsync(string approvalId, CancellationToken cancellationToken)
    {
        if (await resumption.ClaimAsync(approvalId, cancellationToken) is var (run, approval))
        {
            await DriveAsync(run, approval, cancellationToken);
        }
    }

    private async Task DriveAsync(Run run, Approval? resumed, CancellationToken cancellationToken)
    {
        using var span = AgentHostTelemetry.StartRun(run.Id, run.AgentId, resumed is not null);
        var agent = await agents.GetAsync(run.AgentId, cancellationToken);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.Id, ["AgentId"] = run.AgentId });
        if (agent is null || agent.Disabled)
        {
            await endings.EndAsync(run, RunStatus.Stopped, null, "the agent is disabled", cancellationToken);
            return;
        }

        if (agent.DefinitionVersion > 0 && run.AgentVersion != agent.DefinitionVersion)
        {
            // Saved after the run was queued or parked: the run goes on with what is saved now, and says so.
            await runs.RecordAgentVersionAsync(run.Id, agent.DefinitionVersion, cancellationToken);
        }

        if (model.Value.Endpoint is null)
        {
            await endings.EndAsync(run, RunStatus.Failed, null, "no model is configured (Model:Endpoint)", cancellationToken);
            return;
        }

        var budgets = agent.Definition.Budgets ?? AgentBudgets.Default;
        // The host's clock, not the machine's: tests advance it while a call is in flight.
        using var wallTime = new CancellationTokenSource(budgets.WallTime, time);
        using var wallClock = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wallTime.Token);
        try
        {
            if (resumed is null)
            {
                await opening.StartAsync(run, agent, budgets, wallClock.Token);
            }
            else
            {
                await resumption.ContinueAsync(run, agent, budgets, resumed, wallClock.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A call in flight was already closed as outcome_unknown by CallExecution; the rest are closed here.
            await endings.BudgetExceededAsync(run, "maxWallTime", (long)budgets.WallTime.TotalSeconds, (long)budgets.WallTime.TotalSeconds, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not AuditWriteException)
        {
            // A run never stays "running" because of a bug: it fails, with the reason, and the bug is logged.
            LogCrashed(logger, ex, run.Id);
            await endings.EndAsync(run, RunStatus.Failed, null, $"internal error: {ex.GetType().Name}", CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed on an unexpected error")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string runId);
}
