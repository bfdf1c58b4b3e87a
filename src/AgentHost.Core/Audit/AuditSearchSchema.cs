using Microsoft.Data.Sqlite;

namespace AgentHost.Core.Audit;

/// <summary>
/// Search keys live apart from the log, in a database file of their own next to it. Indexing
/// audit_events by run, agent, actor and type made every commit rewrite a page per index per concurrent
/// run, and keys written into the log's own WAL rode on every durable commit's fsync: either way durable
/// appends stayed near 5x the one-fsync ceiling instead of 20x. The log now only grows at its end; the
/// keys are written behind it in large batches by <see cref="AuditSearchIndexer"/>, without fsync (they
/// are derived data, rebuilt from the log if lost). Searches read keys up to the indexer's watermark and
/// scan the short unindexed tail, so results never depend on the lag.
/// Free-text search (<see cref="AuditSearchDocument"/>) is a contentless FTS5 table in the same file,
/// rowid = seq, with a watermark of its own: a search file from before it existed holds keys but no text,
/// and its text is then indexed from the first event while the keys are rewritten idempotently.
/// </summary>
public static class AuditSearchSchema
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS search.audit_search_keys (
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (key, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS search.audit_search_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            watermark INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO search.audit_search_state (id, watermark) VALUES (1, 0);
        CREATE VIRTUAL TABLE IF NOT EXISTS search.audit_text USING fts5(
            words, keys, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0');
        CREATE TABLE IF NOT EXISTS search.audit_text_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            watermark INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO search.audit_text_state (id, watermark) VALUES (1, 0);
        """;

    /// <summary>The search file of a log database file: agenthost.db → agenthost.search.db.</summary>
    public static string SearchFilePath(string logDatabasePath) => Path.ChangeExtension(logDatabasePath, ".search.db");

    /// <summary>Attaches the search file as schema "search", creating its tables on first use.</summary>
    public static async Task AttachAsync(SqliteConnection connection, string logDatabasePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using (var attached = connection.CreateCommand())
        {
            // Pooled connections keep their attachments.
            attached.CommandText = "SELECT COUNT(*) FROM pragma_database_list WHERE name = 'search'";
            if ((long)(await attached.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                return;
            }
        }

        using var attach = connection.CreateCommand();
        attach.CommandText = "ATTACH DATABASE $path AS search; PRAGMA search.journal_mode=WAL; PRAGMA search.synchronous=NORMAL;";
        attach.Parameters.AddWithValue("$path", SearchFilePath(logDatabasePath));
        await attach.ExecuteNonQueryAsync(cancellationToken);
        using var create = connection.CreateCommand();
        create.CommandText = Create;
        await create.ExecuteNonQueryAsync(cancellationToken);
    }
}
