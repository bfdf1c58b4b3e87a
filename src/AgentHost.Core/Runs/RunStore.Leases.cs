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
            ("@now", AuditTime.ToMicroseconds(time.GetUtcNow())),
            ("@sole", soleProcess ? 1 : 0),
            ("@owner", _lease.Owner))).Select(r => r.Id).ToList();

    private long LeaseEnd() => AuditTime.ToMicroseconds(time.GetUtcNow() + _lease.Duration);
}
