using AgentHost.Core.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Audit;

/// <summary>
/// Writes the search keys (run, agent, actor, type) and the free-text index (<see cref="AuditSearchDocument"/>) of committed events in large batches, behind the
/// log, into the search file (<see cref="AuditSearchSchema"/>). Derived data: it can be deleted and is
/// rebuilt from audit_events, so it is written without an fsync of its own.
/// </summary>
public sealed partial class AuditSearchIndexer(SqliteDatabase database, TimeProvider time, ILogger<AuditSearchIndexer> logger) : IAuditSearchIndexer
{
    public const int BatchSize = 20_000;

    public Task RunAsync(Func<long> logSize, CancellationToken cancellationToken) =>
        AuditIndexLoop.RunAsync(IndexBatchAsync, BatchSize, logSize, time, ex => LogIndexFailed(logger, ex), cancellationToken);

    /// <summary>Indexes up to <see cref="BatchSize"/> events after the watermark; returns how many.</summary>
    public async Task<int> IndexBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenSqliteAsync(cancellationToken);
        await AuditSearchSchema.AttachAsync(connection, database.FilePath, cancellationToken);

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        // The text has a watermark of its own (a search file from before it starts at 0); keys are idempotent, text is not.
        var textWatermark = await connection.ExecuteScalarAsync<long>(StoreDatabase.Command("SELECT watermark FROM search.audit_text_state WHERE id = 1", null, transaction, cancellationToken));
        var rows = (await connection.QueryAsync<KeyRow>(StoreDatabase.Command(
            "SELECT seq, run_id, agent_id, actor, type, data FROM audit_events WHERE seq > MIN(@text, (SELECT watermark FROM search.audit_search_state WHERE id = 1)) ORDER BY seq LIMIT @limit",
            new { text = textWatermark, limit = BatchSize },
            transaction,
            cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            return 0;
        }

        // One prepared command, re-bound per key: the indexer writes four keys per event.
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR IGNORE INTO search.audit_search_keys (key, seq) VALUES (@key, @seq)";
        var key = insert.Parameters.Add("@key", SqliteType.Text);
        var seq = insert.Parameters.Add("@seq", SqliteType.Integer);
        using var text = connection.CreateCommand();
        text.Transaction = transaction;
        text.CommandText = "INSERT INTO search.audit_text (rowid, words, keys) VALUES (@seq, @words, @keys)";
        var textSeq = text.Parameters.Add("@seq", SqliteType.Integer);
        var words = text.Parameters.Add("@words", SqliteType.Text);
        var keys = text.Parameters.Add("@keys", SqliteType.Text);
        foreach (var row in rows)
        {
            seq.Value = row.Seq;
            foreach (var value in Keys(row.RunId, row.AgentId, row.Actor, row.Type))
            {
                key.Value = value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            if (row.Seq > textWatermark)
            {
                var document = AuditSearchDocument.Of(row.Type, row.Actor, row.AgentId, row.RunId, row.Data);
                (textSeq.Value, words.Value, keys.Value) = (row.Seq, document.WordText, string.Join(' ', document.Keys));
                await text.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await StoreDatabase.ExecuteAsync(transaction, new StoreWrite("UPDATE search.audit_search_state SET watermark = @seq WHERE id = 1", new { seq = rows[^1].Seq }), cancellationToken);
        await StoreDatabase.ExecuteAsync(transaction, new StoreWrite("UPDATE search.audit_text_state SET watermark = @seq WHERE id = 1", new { seq = rows[^1].Seq }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    internal static IEnumerable<string> Keys(string? run, string? agent, string actor, string type)
    {
        if (run is not null)
        {
            yield return "run:" + run;
        }

        if (agent is not null)
        {
            yield return "agent:" + agent;
        }

        yield return "actor:" + actor;
        yield return "type:" + type;
    }

    private sealed record KeyRow
    {
        public long Seq { get; init; }
        public string? RunId { get; init; }
        public string? AgentId { get; init; }
        public string Actor { get; init; } = "";
        public string Type { get; init; } = "";
        public string Data { get; init; } = "";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit search indexing failed; searches scan the unindexed tail meanwhile")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception);
}
