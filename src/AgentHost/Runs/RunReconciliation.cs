using AgentHost.Core.Audit;
using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>
/// After a restart the store, not Hangfire, says what was in flight: queued runs are queued again,
/// settled approvals resumed (expiry needs no re-arming: ApprovalExpirySweeper asks the store), and
/// a run that was executing when the host died ends as failed, with every tool call that was requested
/// but never finished marked outcome_unknown for a person to check. Nothing is repeated blindly.
/// </summary>
public sealed partial class RunReconciliation(RunStore runs, AgentHost.Core.Agents.AgentStore agents, AgentSchedules schedules, AgentHost.Core.Approvals.ApprovalStore approvals, RunDispatcher dispatcher, IAuditLog audit, AgentHost.Core.Storage.StoreDatabase database, ILogger<RunReconciliation> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // On a shared PostgreSQL store a "running" run may belong to another live worker: failing it
        // here would be wrong, so interrupted runs are only recovered where one process owns them all.
        // Recovering a dead worker's runs needs per-run leases (docs/operations.md, open work).
        var interrupted = database.Dialect == AgentHost.Core.Storage.StoreDialect.Sqlite ? await runs.InterruptedAsync(cancellationToken) : [];
        foreach (var runId in interrupted)
        {
            var run = (await runs.GetAsync(runId, cancellationToken))!;
            foreach (var call in (await runs.ToolCallsAsync(runId, cancellationToken)).Where(c => c.Outcome == "requested"))
            {
                await runs.RecordToolCallAsync(call with { Outcome = "outcome_unknown", ResultSummary = "the host stopped while this call was in flight; check its effect" }, cancellationToken);
                await audit.AppendAsync(new AuditEntry(AuditEventTypes.ActionOutcomeUnknown, AuditActor.System, run.AgentId, runId, new() { ["callId"] = call.CallId, ["function"] = call.Function }), cancellationToken);
            }

            if (await runs.FinishAsync(runId, RunStatus.Failed, null, "interrupted by a host restart", cancellationToken))
            {
                await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunFailed, AuditActor.System, run.AgentId, runId, new() { ["reason"] = "interrupted by a host restart" }), cancellationToken);
            }
        }

        var queued = await runs.QueuedAsync(cancellationToken);
        foreach (var runId in queued)
        {
            dispatcher.Enqueue(runId);
        }

        // Hangfire's in-memory storage forgot the resumptions: the store says which are owed.
        foreach (var settled in await approvals.SettledNotResumedAsync(cancellationToken))
        {
            dispatcher.Resume(settled.Id);
        }

        foreach (var agent in await agents.ListAsync(null, cancellationToken))
        {
            schedules.Sync(agent);
        }

        LogReconciled(logger, queued.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-queued {Count} runs from the store")]
    private static partial void LogReconciled(ILogger logger, int count);
}
