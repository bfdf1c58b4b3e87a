using System.Security.Claims;
using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>The outcome of asking for a run by hand: the run, or the HTTP status and words saying why not.</summary>
public sealed record RunStart(Run? Run, int Status, string? Title, string? Field = null, TimeSpan? RetryAfter = null, string? Detail = null);

/// <summary>
/// Starting a run by hand, for the API and the agent page alike: only the owner (or an admin), only an
/// enabled agent, within its concurrency budget; queued and audited before the job is enqueued.
/// </summary>
public sealed class RunStarter(AgentStore agents, AgentAccess access, RunStore runs, RunDispatcher dispatcher, AgentRateLimits limits, IAuditLog audit)
{
    public const int MaxInputLength = 20_000;

    public Task<RunStart> StartAsync(ClaimsPrincipal user, string agentId, string? input, CancellationToken cancellationToken) =>
        StartAsync(user, agentId, input, dryRun: false, cancellationToken);

    /// <param name="dryRun">A test run: reads execute, writes are decided and recorded as what would happen, never executed.</param>
    public async Task<RunStart> StartAsync(ClaimsPrincipal user, string agentId, string? input, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var agent = await agents.GetAsync(agentId, cancellationToken);
        if (agent is null || !access.CanRead(user, agent))
        {
            return new RunStart(null, StatusCodes.Status404NotFound, "No such agent");
        }

        if (!AgentAccess.CanEdit(user, agent))
        {
            return new RunStart(null, StatusCodes.Status403Forbidden, "Only the owner runs an agent by hand");
        }

        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength)
        {
            return new RunStart(null, StatusCodes.Status400BadRequest, $"is required, at most {MaxInputLength} characters", "input");
        }

        if (agent.Disabled)
        {
            return new RunStart(null, StatusCodes.Status409Conflict, "The agent is disabled");
        }

        var budgets = agent.Definition.Budgets ?? AgentBudgets.Default;
        if (await runs.UnfinishedCountAsync(agent.Id, cancellationToken) >= budgets.MaxConcurrentRuns)
        {
            return new RunStart(null, StatusCodes.Status429TooManyRequests, $"Too many runs: the agent allows {budgets.MaxConcurrentRuns} concurrent runs");
        }

        if (await limits.CheckRunAsync(agent.Id, AuditActor.Employee(user.Email()), cancellationToken) is { } refusal)
        {
            return new RunStart(null, StatusCodes.Status429TooManyRequests, "Too many runs this hour", RetryAfter: refusal.RetryAfter, Detail: refusal.Message);
        }

        var run = await runs.CreateAsync(agent.Id, user.Email(), input, startedBy: user.Email(), dryRun, cancellationToken);
        var queued = new System.Text.Json.Nodes.JsonObject { ["input"] = run.Input };
        if (dryRun)
        {
            queued["dryRun"] = true;
        }

        await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunQueued, AuditActor.Employee(run.Requester), agent.Id, run.Id, queued), cancellationToken);
        dispatcher.Enqueue(run.Id);
        return new RunStart(run, StatusCodes.Status202Accepted, null);
    }
}
