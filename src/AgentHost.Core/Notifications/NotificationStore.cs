using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Notifications;

/// <summary>
/// What the platform told people and heard from them, so that neither happens twice: the messages posted
/// for an approval, the inbound events already handled (chat services redeliver), and where a run
/// was asked for so its outcome is answered there once.
/// </summary>
public sealed class NotificationStore(StoreDatabase database, TimeProvider time)
{
    /// <summary>Remembers a posted approval message by where it was sent (a channel, or a person for a DM).</summary>
    public async Task AddApprovalMessageAsync(string approvalId, string destination, MessageRef message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await ExecuteAsync("INSERT INTO approval_messages (approval_id, destination, channel, ts) VALUES (@a, @b, @c, @d) ON CONFLICT DO NOTHING", cancellationToken, approvalId, destination, message.Channel, message.Ts);
    }

    public async Task<IReadOnlyList<(string Destination, MessageRef Message)>> ApprovalMessagesAsync(string approvalId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT destination, channel, ts FROM approval_messages WHERE approval_id = @a ORDER BY {database.InsertionOrder}";
        command.AddParameter("@a", approvalId);
        var messages = new List<(string, MessageRef)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add((reader.GetString(0), new MessageRef(reader.GetString(1), reader.GetString(2))));
        }

        return messages;
    }

    /// <summary>Pending approvals nobody was told about yet (the host stopped before posting).</summary>
    public async Task<IReadOnlyList<string>> UnpostedPendingApprovalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT a.id FROM approvals a WHERE a.status = 'pending' AND NOT EXISTS (SELECT 1 FROM approval_messages m WHERE m.approval_id = a.id)";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>True the first time an event id of a source is seen; a redelivery returns false.</summary>
    public async Task<bool> TryRecordInboundAsync(string source, string eventId, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "INSERT INTO inbound_events (source, event_id, received_at) VALUES (@a, @b, @c) ON CONFLICT DO NOTHING",
            cancellationToken,
            source,
            eventId,
            StoreTime.ToMicroseconds(time.GetUtcNow())) == 1;

    public async Task SetRunOriginAsync(string runId, string source, MessageRef thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        await ExecuteAsync("INSERT INTO run_origins (run_id, source, channel, thread) VALUES (@a, @b, @c, @d) ON CONFLICT DO NOTHING", cancellationToken, runId, source, thread.Channel, thread.Ts);
    }

    /// <summary>The thread to answer a run's outcome in, claimed once: a second caller gets null.</summary>
    public async Task<MessageRef?> ClaimReplyAsync(string runId, string source, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE run_origins SET replied = 1 WHERE run_id = @a AND source = @b AND replied = 0 RETURNING channel, thread";
        command.AddParameter("@a", runId);
        command.AddParameter("@b", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new MessageRef(reader.GetString(0), reader.GetString(1)) : null;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.AddParameter("@" + (char)('a' + i), values[i]);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
