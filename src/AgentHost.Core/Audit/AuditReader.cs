using System.Runtime.CompilerServices;
using System.Text;
using AgentHost.Core.Storage;
using Dapper;

namespace AgentHost.Core.Audit;

/// <summary>The read side of the audit trail: search, streaming, checkpoints and the leaves proofs need.</summary>
public sealed class AuditReader(StoreDatabase database)
{
    public const int MaxPageSize = 1000;

    private const string Watermark = "(SELECT watermark FROM search.audit_search_state WHERE id = 1)";

    public async Task<AuditPage> SearchAsync(AuditFilter filter, long? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var events = new List<AuditEvent>(limit);
        await foreach (var e in StreamAsync(filter, after, limit + 1, cancellationToken))
        {
            events.Add(e);
        }

        var more = events.Count > limit;
        if (more)
        {
            events.RemoveAt(events.Count - 1);
        }

        return new AuditPage(events, more ? events[^1].Sequence : null);
    }

    /// <summary>Events in sequence order, read row by row: an export of millions never sits in memory.</summary>
    public async IAsyncEnumerable<AuditEvent> StreamAsync(AuditFilter filter, long? after, long? limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new DynamicParameters(new
        {
            after = after ?? 0,
            run = filter.RunId,
            agent = filter.AgentId,
            actor = filter.Actor,
            type = filter.Type,
            from = filter.From is { } from ? StoreTime.ToMicroseconds(from) : (long?)null,
            to = filter.To is { } to ? StoreTime.ToMicroseconds(to) : (long?)null,
            limit,
        });
        var conditions = new StringBuilder()
            .Append(filter.RunId is null ? "" : " AND run_id = @run")
            .Append(filter.AgentId is null ? "" : " AND agent_id = @agent")
            .Append(filter.Actor is null ? "" : " AND actor = @actor")
            .Append(filter.Type is null ? "" : " AND type = @type")
            .Append(filter.From is null ? "" : " AND ts >= @from")
            .Append(filter.To is null ? "" : " AND ts < @to");

        var sql = new StringBuilder();
        if (database is SqliteDatabase sqlite && SearchKey(filter) is { } key)
        {
            await AuditSearchSchema.AttachAsync((Microsoft.Data.Sqlite.SqliteConnection)connection, sqlite.FilePath, cancellationToken);
            // Indexed part up to the indexer's watermark, then a scan of the tail it has not reached.
            parameters.Add("key", key);
            sql.Append(AuditEventRow.Select).Append(" WHERE seq IN (SELECT seq FROM search.audit_search_keys WHERE key = @key AND seq > @after AND seq <= ")
                .Append(Watermark).Append(')').Append(conditions)
                .Append(" UNION ALL ").Append(AuditEventRow.Select).Append(" WHERE seq > MAX(@after, ").Append(Watermark).Append(')').Append(conditions);
        }
        else
        {
            sql.Append(AuditEventRow.Select).Append(" WHERE seq > @after").Append(conditions);
        }

        sql.Append(" ORDER BY seq").Append(limit is null ? "" : " LIMIT @limit");
        await foreach (var row in connection.QueryUnbufferedAsync<AuditEventRow>(sql.ToString(), parameters).WithCancellation(cancellationToken))
        {
            yield return row.ToEvent();
        }
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> CheckpointsAsync(long? minimumSize, int limit, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<CheckpointRow>(
            "SELECT tree_size, root_hash, ts, note FROM audit_checkpoints WHERE tree_size >= @min ORDER BY id DESC LIMIT @limit",
            new { min = minimumSize ?? 0, limit = Math.Clamp(limit, 1, MaxPageSize) },
            cancellationToken)).Select(c => new StoredCheckpoint(c.TreeSize, c.RootHash, StoreTime.FromMicroseconds(c.Ts), c.Note))];

    public Task<IReadOnlyList<string>> CheckpointNotesAsync(CancellationToken cancellationToken) =>
        database.QueryAsync<string>("SELECT note FROM audit_checkpoints ORDER BY id", null, cancellationToken);

    /// <summary>The first <paramref name="count"/> leaf hashes, in order (32 bytes each).</summary>
    public Task<IReadOnlyList<byte[]>> LeafHashesAsync(long count, CancellationToken cancellationToken) =>
        database.QueryAsync<byte[]>("SELECT leaf_hash FROM audit_events WHERE seq <= @count ORDER BY seq", new { count }, cancellationToken);

    private static string? SearchKey(AuditFilter filter) =>
        filter.RunId is { } run ? "run:" + run
        : filter.AgentId is { } agent ? "agent:" + agent
        : filter.Actor is { } actor ? "actor:" + actor
        : filter.Type is { } type ? "type:" + type
        : null;

    private sealed record CheckpointRow
    {
        public long TreeSize { get; init; }
        public byte[] RootHash { get; init; } = [];
        public long Ts { get; init; }
        public string Note { get; init; } = "";
    }
}
