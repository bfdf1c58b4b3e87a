using AgentHost.Core.Storage;
using AgentHost.Core.Audit;

namespace AgentHost.Core.Runs;

public sealed partial class RunStore
{
    public RunLease Lease => _lease;

    /// <summary>Extends the lease of every run this process is executing; returns how many.</summary>
    public Task<int> RenewLeasesAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE runs SET lease_until = @until WHERE lease_owner = @owner AND status = 'running'", cancellationToken, ("@until", LeaseEnd()), ("@owner", _lease.Owner));

    /// <summary>
    /// Running runs nobody is executing any more: their lease ran out (the worker died), or they have
    /// none. With <paramref name="soleProcess"/> (SQLite: this process is the only one), every running
    /// run another process instance claimed is one, since that instance is gone.
    /// </summary>
    public async Task<IReadOnlyList<string>> InterruptedAsync(bool soleProcess, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT {Columns} FROM runs WHERE status = 'running' AND (lease_owner IS NULL OR lease_until < @now OR (@sole = 1 AND lease_owner <> @owner))",
            cancellationToken,
            ("@now", StoreTime.ToMicroseconds(time.GetUtcNow())),
            ("@sole", soleProcess ? 1 : 0),
            ("@owner", _lease.Owner))).Select(r => r.Id).ToList();

    /// <summary>
    /// Runs that ended (the kill switch, a budget) while a call was in flight, whose executor is gone: its
    /// lease ran out twice over, or (<paramref name="soleProcess"/>) another instance held it. Only calls
    /// started since <paramref name="since"/> are read, so the scan stays on the started_at index.
    /// </summary>
    public async Task<IReadOnlyList<Run>> EndedWithCallsInFlightAsync(bool soleProcess, DateTimeOffset since, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT {Columns} FROM runs WHERE id IN (SELECT run_id FROM run_tool_calls WHERE started_at >= @since AND outcome = 'requested') "
            + "AND status IN ('stopped', 'failed', 'succeeded') AND (lease_owner IS NULL OR lease_until < @stale OR (@sole = 1 AND lease_owner <> @owner))",
            cancellationToken,
            ("@since", StoreTime.ToMicroseconds(since)),
            ("@stale", StoreTime.ToMicroseconds(time.GetUtcNow() - _lease.Duration)),
            ("@sole", soleProcess ? 1 : 0),
            ("@owner", _lease.Owner));

    private long LeaseEnd() => StoreTime.ToMicroseconds(time.GetUtcNow() + _lease.Duration);
}
