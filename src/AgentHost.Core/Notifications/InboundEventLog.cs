using AgentHost.Core.Storage;

namespace AgentHost.Core.Notifications;

/// <summary>An inbound event recorded with the work it carries, not yet marked handled.</summary>
public sealed record PendingInboundEvent(string EventId, string Payload);

/// <summary>One attempt at an inbound event's work: its payload, and which attempt this is (from 1).</summary>
public sealed record InboundAttempt
{
    public string Payload { get; init; } = "";

    public long Number { get; init; }
}

/// <summary>
/// Inbound events as a durable queue: an event that carries work (a button click) is written with its
/// payload before the sender is acknowledged, applied by a job, and marked handled; whatever a dead host
/// left unhandled is replayed, a bounded number of times (attempts). Rows are kept for the replay window only: a redelivery older than that is
/// refused by the request signature's age anyway.
/// </summary>
public sealed class InboundEventLog(StoreDatabase database, TimeProvider time)
{
    /// <summary>True the first time; a redelivery of the same event id returns false and records nothing.</summary>
    public async Task<bool> RecordAsync(string source, string eventId, string payload, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "INSERT INTO inbound_events (source, event_id, received_at, payload) VALUES (@source, @eventId, @now, @payload) ON CONFLICT DO NOTHING",
            new { source, eventId, now = StoreTime.ToMicroseconds(time.GetUtcNow()), payload },
            cancellationToken) == 1;

    /// <summary>Counts an attempt at an event not yet handled and returns its payload; null once handled (or never recorded).</summary>
    public Task<InboundAttempt?> BeginAttemptAsync(string source, string eventId, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<InboundAttempt>(
            "UPDATE inbound_events SET attempts = attempts + 1 WHERE source = @source AND event_id = @eventId AND payload IS NOT NULL AND handled_at IS NULL RETURNING payload AS Payload, attempts AS Number",
            new { source, eventId },
            cancellationToken);

    public Task MarkHandledAsync(string source, string eventId, CancellationToken cancellationToken)
    {
        var write = MarkHandled(source, eventId);
        return database.ExecuteAsync(write.Sql, write.Parameters, cancellationToken);
    }

    /// <summary>The write that marks an event handled, for a caller that commits it with the work itself.</summary>
    public StoreWrite MarkHandled(string source, string eventId) => new(
        "UPDATE inbound_events SET handled_at = @now WHERE source = @source AND event_id = @eventId AND handled_at IS NULL",
        new { now = StoreTime.ToMicroseconds(time.GetUtcNow()), source, eventId });

    /// <summary>Gives an event up: handled, with why, so it is never replayed. False if it was handled meanwhile.</summary>
    public async Task<bool> MarkFailedAsync(string source, string eventId, string failure, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE inbound_events SET handled_at = @now, failure = @failure WHERE source = @source AND event_id = @eventId AND handled_at IS NULL",
            new { now = StoreTime.ToMicroseconds(time.GetUtcNow()), failure, source, eventId },
            cancellationToken) == 1;

    /// <summary>Events of a source received before <paramref name="receivedBefore"/> that carry work nobody finished.</summary>
    public Task<IReadOnlyList<PendingInboundEvent>> UnhandledAsync(string source, DateTimeOffset receivedBefore, CancellationToken cancellationToken) =>
        database.QueryAsync<PendingInboundEvent>(
            "SELECT event_id AS EventId, payload AS Payload FROM inbound_events WHERE source = @source AND payload IS NOT NULL AND handled_at IS NULL AND received_at <= @before ORDER BY received_at",
            new { source, before = StoreTime.ToMicroseconds(receivedBefore) },
            cancellationToken);

    /// <summary>Deletes events received before <paramref name="receivedBefore"/>, except work still unhandled; returns how many.</summary>
    public Task<int> PruneAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM inbound_events WHERE received_at < @before AND (payload IS NULL OR handled_at IS NOT NULL)",
            new { before = StoreTime.ToMicroseconds(receivedBefore) },
            cancellationToken);
}
