using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>
/// After a restart the store, not Hangfire, says what was in flight: queued runs are queued again,
/// settled approvals resumed (expiry needs no re-arming: ApprovalExpirySweeper asks the store), and
/// a run that was executing when the host died is recovered by InterruptedRuns: queued again when no
/// call was in flight, otherwise ended with that call outcome_unknown. Nothing is repeated blindly.
/// </summary>
/// <remarks>
/// Schedules are synced after start-up, in the background, retried until they hold: Hangfire takes a
/// distributed lock per recurring job, and a worker SIGKILLed while holding one leaves it until it times
/// out. Synced on the start path, that stale lock failed the next worker's start, so nothing ran the queue
/// (the crash harness's "24 runs stay queued").
/// </remarks>
public sealed partial class RunReconciliation(RunStore runs, AgentHost.Core.Agents.AgentStore agents, AgentHost.Agents.AgentSchedules schedules, AgentHost.Core.Approvals.ApprovalStore approvals, RunDispatcher dispatcher, InterruptedRuns interrupted, RunCallEndings calls, AgentHost.Core.Storage.StoreDatabase database, TimeProvider time, ILogger<RunReconciliation> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan ScheduleRetryDelay = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stopping = new();
    private Task _scheduleSync = Task.CompletedTask;

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

        var agentIds = (await agents.ListAsync(null, cancellationToken)).Select(a => a.Id).ToList();
        _scheduleSync = Task.Run(() => SyncSchedulesAsync(agentIds, _stopping.Token), CancellationToken.None);
        LogReconciled(logger, queued.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _scheduleSync.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Syncs each agent's schedules (read again from the store on a retry, so a retry never restores an old schedule).</summary>
    public async Task SyncSchedulesAsync(IReadOnlyList<string> agentIds, CancellationToken cancellationToken)
    {
        var pending = agentIds;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var failed = new List<string>();
            foreach (var agentId in pending)
            {
                try
                {
                    if (await agents.GetAsync(agentId, cancellationToken) is { } agent)
                    {
                        schedules.Sync(agent);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogScheduleSyncFailed(logger, ex, agentId, attempt);
                    failed.Add(agentId);
                }
            }

            pending = failed;
            if (pending.Count > 0)
            {
                await Task.Delay(ScheduleRetryDelay, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syncing the schedules of agent {AgentId} failed (attempt {Attempt}); trying again shortly")]
    private static partial void LogScheduleSyncFailed(ILogger logger, Exception exception, string agentId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-queued {Count} runs from the store")]
    private static partial void LogReconciled(ILogger logger, int count);
}
