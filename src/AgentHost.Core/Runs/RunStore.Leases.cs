using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

public sealed partial class RunStore
{
    public RunLease Lease => _lease;

    /// <summary>Extends the lease of every run this process is executing; returns how many.</summary>
    public Task<int> RenewLeasesAsync(CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE runs SET lease_until = @until WHERE lease_owner = @owner AND status = @running",
            new { until = LeaseEnd(), owner = _lease.Owner, running = RunStatus.Running.ToText() },
            cancellationToken);

    /// <summary>
    /// Running runs nobody is executing any more: their lease ran out (the worker died), or they have
    /// none. With <paramref name="soleProcess"/> (SQLite: this process is the only one), every running
    /// run another process instance claimed is one, since that instance is gone.
    /// </summary>
    public Task<IReadOnlyList<string>> InterruptedAsync(bool soleProcess, CancellationToken cancellationToken) =>
        database.QueryAsync<string>(
            "SELECT id FROM runs WHERE status = @running AND (lease_owner IS NULL OR lease_until < @now OR (@sole = 1 AND lease_owner <> @owner))",
            new { running = RunStatus.Running.ToText(), now = StoreTime.ToMicroseconds(time.GetUtcNow()), sole = soleProcess ? 1 : 0, owner = _lease.Owner },
            cancellationToken);

    /// <summary>
    /// Runs that ended (the kill switch, a budget) while a call was in flight, whose executor is gone: its
    /// lease ran out twice over, or (<paramref name="soleProcess"/>) another instance held it. Only calls
    /// started since <paramref name="since"/> are read, so the scan stays on the started_at index.
    /// </summary>
    public async Task<IReadOnlyList<Run>> EndedWithCallsInFlightAsync(bool soleProcess, DateTimeOffset since, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<RunRow>(
            $"{SelectRuns} WHERE r.id IN (SELECT run_id FROM run_tool_calls WHERE started_at >= @since AND outcome = @requested) "
            + "AND r.status IN (@stopped, @failed, @succeeded) AND (r.lease_owner IS NULL OR r.lease_until < @stale OR (@sole = 1 AND r.lease_owner <> @owner))",
            new
            {
                since = StoreTime.ToMicroseconds(since),
                requested = ToolCallOutcome.Requested.ToText(),
                stopped = RunStatus.Stopped.ToText(),
                failed = RunStatus.Failed.ToText(),
                succeeded = RunStatus.Succeeded.ToText(),
                stale = StoreTime.ToMicroseconds(time.GetUtcNow() - _lease.Duration),
                sole = soleProcess ? 1 : 0,
                owner = _lease.Owner,
            },
            cancellationToken)).Select(r => r.ToRun())];

    /// <summary>
    /// Stopped runs, of any agent, still holding a call awaiting approval: stopped while parked by a host
    /// that did not yet close such calls. Nobody resumes a stopped run; start-up closes them. Reads stopped
    /// runs by the status index and each one's calls by key.
    /// </summary>
    public async Task<IReadOnlyList<(string RunId, string AgentId)>> StoppedWithParkedCallsAsync(CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<StoppedRun>(
            "SELECT r.id AS run_id, r.agent_id FROM runs r WHERE r.status = @stopped AND EXISTS (SELECT 1 FROM run_tool_calls c WHERE c.run_id = r.id AND c.outcome = @parked)",
            new { stopped = RunStatus.Stopped.ToText(), parked = ToolCallOutcome.AwaitingApproval.ToText() },
            cancellationToken)).Select(r => (r.RunId, r.AgentId))];

    private sealed record StoppedRun
    {
        public string RunId { get; init; } = "";
        public string AgentId { get; init; } = "";
    }

    private long LeaseEnd() => StoreTime.ToMicroseconds(time.GetUtcNow() + _lease.Duration);
}
