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

    public async Task<MailboxCursor?> GetAsync(string agentId, string folder, CancellationToken cancellationToken) =>
        await database.QuerySingleOrDefaultAsync<CursorRow>(
            "SELECT uid_validity, last_uid FROM mailbox_cursors WHERE agent_id = @agentId AND folder = @folder",
            new { agentId, folder },
            cancellationToken) is { } row
            ? new MailboxCursor(agentId, folder, (uint)row.UidValidity, (uint)row.LastUid)
            : null;

    /// <summary>Sets where the trigger starts: on its first look at a folder, or after the folder's UIDVALIDITY changed.</summary>
    public Task BaselineAsync(MailboxCursor cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return database.ExecuteAsync(
            "INSERT INTO mailbox_cursors (agent_id, folder, uid_validity, last_uid) VALUES (@agentId, @folder, @validity, @uid) "
            + "ON CONFLICT (agent_id, folder) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid",
            new { agentId = cursor.AgentId, folder = cursor.Folder, validity = (long)cursor.UidValidity, uid = (long)cursor.LastUid },
            cancellationToken);
    }

    /// <summary>
    /// Starts the run for one message and moves the cursor past it, atomically; null when that message
    /// already started one (another worker, or a poll before a crash).
    /// </summary>
    public Task<Run?> StartRunAsync(MailboxCursor cursor, uint uid, string requester, string input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var advance = new StoreWrite(
            "INSERT INTO mailbox_cursors (agent_id, folder, uid_validity, last_uid) VALUES (@agentId, @folder, @validity, @uid) "
            + $"ON CONFLICT (agent_id, folder) DO UPDATE SET last_uid = {database.Greatest("mailbox_cursors.last_uid", "excluded.last_uid")} WHERE mailbox_cursors.uid_validity = excluded.uid_validity",
            new { agentId = cursor.AgentId, folder = cursor.Folder, validity = (long)cursor.UidValidity, uid = (long)uid });
        return runs.CreateOnceAsync(cursor.AgentId, requester, input, Source, EventId(cursor, uid), advance, cancellationToken);
    }

    public static string EventId(MailboxCursor cursor, uint uid)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return $"{cursor.AgentId}/{cursor.UidValidity}/{uid}/{cursor.Folder}";
    }

    private sealed record CursorRow
    {
        public long UidValidity { get; init; }
        public long LastUid { get; init; }
    }
}
