using AgentHost.Core.Runs;
using AgentHost.Core.Storage;

namespace AgentHost.Core.EmailArrivals;

/// <summary>
/// The durable memory of the email arrival trigger. A message starts its run in the same transaction
/// that moves the cursor past it, so across restarts and workers no message runs twice or is skipped.
/// </summary>
public sealed class MailboxCursorStore(StoreDatabase database, RunStore runs)
{
    public const string Source = "email";

    public async Task<MailboxCursor?> GetAsync(string agentId, string folder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT uid_validity, last_uid FROM mailbox_cursors WHERE agent_id = @agent AND folder = @folder";
        command.AddParameter("@agent", agentId);
        command.AddParameter("@folder", folder);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new MailboxCursor(agentId, folder, (uint)reader.GetInt64(0), (uint)reader.GetInt64(1)) : null;
    }

    /// <summary>Sets where the trigger starts: on its first look at a folder, or after the folder's UIDVALIDITY changed.</summary>
    public async Task BaselineAsync(MailboxCursor cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO mailbox_cursors (agent_id, folder, uid_validity, last_uid) VALUES (@agent, @folder, @validity, @uid) "
            + "ON CONFLICT (agent_id, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid";
        command.AddParameter("@agent", cursor.AgentId);
        command.AddParameter("@folder", cursor.Folder);
        command.AddParameter("@validity", (long)cursor.UidValidity);
        command.AddParameter("@uid", (long)cursor.LastUid);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Starts the run for one message and moves the cursor past it, atomically; null when that message
    /// already started one (another worker, or a poll before a crash).
    /// </summary>
    public Task<Run?> StartRunAsync(MailboxCursor cursor, uint uid, string requester, string input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var advance = new StoreWrite(
            "INSERT INTO mailbox_cursors (agent_id, folder, uid_validity, last_uid) VALUES (@c_agent, @c_folder, @c_validity, @c_uid) "
            + $"ON CONFLICT (agent_id, folder) DO UPDATE SET last_uid = {database.Greatest("mailbox_cursors.last_uid", "excluded.last_uid")} WHERE mailbox_cursors.uid_validity = excluded.uid_validity",
            [new("@c_agent", cursor.AgentId), new("@c_folder", cursor.Folder), new("@c_validity", (long)cursor.UidValidity), new("@c_uid", (long)uid)]);
        return runs.CreateOnceAsync(cursor.AgentId, requester, input, Source, EventId(cursor, uid), advance, cancellationToken);
    }

    public static string EventId(MailboxCursor cursor, uint uid)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return $"{cursor.AgentId}/{cursor.UidValidity}/{uid}/{cursor.Folder}";
    }
}
