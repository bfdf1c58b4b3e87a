using AgentHost.Core.Storage;

namespace AgentHost.Audit.Siem;

/// <summary>
/// The durable side of the SIEM stream (siem_cursors): per destination, the last sequence number known
/// delivered, the last error, and a lease so that one process at a time forwards to a destination. Every
/// change but the error is conditional on holding the lease: a worker that lost it cannot move the cursor.
/// </summary>
public sealed class SiemCursorStore(StoreDatabase database)
{
    /// <summary>Takes or renews the lease on <paramref name="destination"/>; its cursor when held, null when another process holds it.</summary>
    public async Task<long?> TryLeaseAsync(string destination, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync(
            "INSERT INTO siem_cursors (destination, last_seq) VALUES (@destination, 0) ON CONFLICT (destination) DO NOTHING",
            new { destination },
            cancellationToken);
        var taken = await database.ExecuteAsync(
            "UPDATE siem_cursors SET lease_owner = @owner, lease_until = @until "
            + "WHERE destination = @destination AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until < @now)",
            new { destination, owner, now = StoreTime.ToMicroseconds(now), until = StoreTime.ToMicroseconds(until) },
            cancellationToken);
        return taken == 0 ? null : await database.ScalarAsync<long>(
            "SELECT last_seq FROM siem_cursors WHERE destination = @destination", new { destination }, cancellationToken);
    }

    /// <summary>Moves the cursor to <paramref name="lastSeq"/> (never back) and renews the lease; false when the lease is no longer ours.</summary>
    public async Task<bool> AdvanceAsync(string destination, string owner, long lastSeq, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            $"UPDATE siem_cursors SET last_seq = {database.Greatest("last_seq", "@lastSeq")}, forwarded_at = @now, lease_until = @until "
            + "WHERE destination = @destination AND lease_owner = @owner",
            new { destination, owner, lastSeq, now = StoreTime.ToMicroseconds(now), until = StoreTime.ToMicroseconds(until) },
            cancellationToken) == 1;

    /// <summary>Records what went wrong; the text must already be free of secrets (the caller builds it from the error, never from settings).</summary>
    public Task RecordErrorAsync(string destination, string error, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE siem_cursors SET last_error = @error, last_error_at = @now WHERE destination = @destination",
            new { destination, error = error.Length > 500 ? error[..500] : error, now = StoreTime.ToMicroseconds(now) },
            cancellationToken);

    /// <summary>Gives the lease up at shutdown, so another worker takes over at once rather than after it expires.</summary>
    public Task ReleaseAsync(string destination, string owner, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE siem_cursors SET lease_owner = NULL, lease_until = NULL WHERE destination = @destination AND lease_owner = @owner",
            new { destination, owner },
            cancellationToken);

    /// <summary>The newest sequence number of the trail (0 when empty): the head the lag is measured from.</summary>
    public Task<long> HeadAsync(CancellationToken cancellationToken) =>
        database.ScalarAsync<long>("SELECT COALESCE(MAX(seq), 0) FROM audit_events", null, cancellationToken);

    public async Task<IReadOnlyDictionary<string, SiemCursor>> AllAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync<CursorRow>(
            "SELECT destination, last_seq, forwarded_at, last_error, last_error_at, lease_owner FROM siem_cursors", null, cancellationToken))
        .ToDictionary(
            r => r.Destination,
            r => new SiemCursor(r.Destination, r.LastSeq, StoreTime.FromMicroseconds(r.ForwardedAt), r.LastError, StoreTime.FromMicroseconds(r.LastErrorAt), r.LeaseOwner),
            StringComparer.Ordinal);

    private sealed record CursorRow
    {
        public string Destination { get; init; } = string.Empty;
        public long LastSeq { get; init; }
        public long? ForwardedAt { get; init; }
        public string? LastError { get; init; }
        public long? LastErrorAt { get; init; }
        public string? LeaseOwner { get; init; }
    }
}
