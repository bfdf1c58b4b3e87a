using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Notifications;

/// <summary>An inbound event recorded with the work it carries, not yet marked handled.</summary>
public sealed record PendingInboundEvent(string EventId, string Payload);

/// <summary>
/// Inbound events as a durable queue: an event that carries work (a button click) is written with its
/// payload before the sender is acknowledged, applied by a job, and marked handled; whatever a dead host
/// left unhandled is replayed. Rows are kept for the replay window only: a redelivery older than that is
/// refused by the request signature's age anyway.
/// </summary>
public sealed class InboundEventLog(StoreDatabase database, TimeProvider time)
{
    /// <summary>True the first time; a redelivery of the same event id returns false and records nothing.</summary>
    public async Task<bool> RecordAsync(string source, string eventId, string payload, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "INSERT INTO inbound_events (source, event_id, received_at, payload) VALUES (@source, @event, @now, @payload) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("@source", source), ("@event", eventId), ("@now", AuditTime.ToMicroseconds(time.GetUtcNow())), ("@payload", payload)) == 1;

    /// <summary>The payload of an event not yet handled; null once handled (or never recorded).</summary>
    public async Task<string?> PendingPayloadAsync(string source, string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM inbound_events WHERE source = @source AND event_id = @event AND handled_at IS NULL";
        command.AddParameter("@source", source);
        command.AddParameter("@event", eventId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task MarkHandledAsync(string source, string eventId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE inbound_events SET handled_at = @now WHERE source = @source AND event_id = @event AND handled_at IS NULL",
            cancellationToken,
            ("@now", AuditTime.ToMicroseconds(time.GetUtcNow())), ("@source", source), ("@event", eventId));

    /// <summary>Events of a source received before <paramref name="receivedBefore"/> that carry work nobody finished.</summary>
    public async Task<IReadOnlyList<PendingInboundEvent>> UnhandledAsync(string source, DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id, payload FROM inbound_events WHERE source = @source AND payload IS NOT NULL AND handled_at IS NULL AND received_at <= @before ORDER BY received_at";
        command.AddParameter("@source", source);
        command.AddParameter("@before", AuditTime.ToMicroseconds(receivedBefore));
        var pending = new List<PendingInboundEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new PendingInboundEvent(reader.GetString(0), reader.GetString(1)));
        }

        return pending;
    }

    /// <summary>Deletes events received before <paramref name="receivedBefore"/>, except work still unhandled; returns how many.</summary>
    public Task<int> PruneAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "DELETE FROM inbound_events WHERE received_at < @before AND (payload IS NULL OR handled_at IS NOT NULL)",
            cancellationToken,
            ("@before", AuditTime.ToMicroseconds(receivedBefore)));

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
