using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>
/// After a restart the store, not Hangfire, says what was in flight: queued runs are queued again,
/// settled approvals resumed (expiry needs no re-arming: ApprovalExpirySweeper asks the store), and
/// a run that was executing when the host died is recovered by InterruptedRuns: queued again when no
/// call was in flight, otherwise ended with that call outcome_unknown. Nothing is repeated blindly.
/// </summary>
public sealed partial class RunReconciliation(RunStore runs, AgentHost.Core.Agents.AgentStore agents, AgentHost.Agents.AgentSchedules schedules, AgentHost.Core.Approvals.ApprovalStore approvals, RunDispatcher dispatcher, InterruptedRuns interrupted, RunCallEndings calls, AgentHost.Core.Storage.StoreDatabase database, ILogger<RunReconciliation> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Alone on SQLite, every running run belonged to this host's previous life. On a shared
        // PostgreSQL store only runs whose lease ran out are orphans; the others have a live worker.
        await interrupted.RecoverAsync(soleProcess: database.Dialect == AgentHost.Core.Storage.StoreDialect.Sqlite, cancellationToken, lookBack: TimeSpan.FromDays(7));

        // A run stopped while it waited for approval, by a host that left its calls open: nobody resumes a
        // stopped run, so they end cancelled now, audited, rather than showing awaiting_approval for ever.
        foreach (var (runId, agentId) in await runs.StoppedWithParkedCallsAsync(cancellationToken))
        {
            await calls.CloseAsync(runId, agentId, "the run had been stopped while it waited for approval", inFlightToo: false, cancellationToken);
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
