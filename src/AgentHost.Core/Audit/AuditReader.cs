using System.Runtime.CompilerServices;
using System.Text;
using AgentHost.Core.Storage;
using System.Data.Common;

namespace AgentHost.Core.Audit;

/// <summary>The read side of the audit trail: search, streaming, checkpoints and the leaves proofs need.</summary>
public sealed class AuditReader(StoreDatabase database)
{
    public const int MaxPageSize = 1000;

    private const string Columns = "SELECT seq, ts, type, actor, agent_id, run_id, data, leaf_hash FROM audit_events";
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
        using var command = connection.CreateCommand();
        command.AddParameter("@after", after ?? 0);
        var conditions = new StringBuilder();
        AddCondition(command, conditions, "run_id", "@run", filter.RunId);
        AddCondition(command, conditions, "agent_id", "@agent", filter.AgentId);
        AddCondition(command, conditions, "actor", "@actor", filter.Actor);
        AddCondition(command, conditions, "type", "@type", filter.Type);
        if (filter.From is { } from)
        {
            conditions.Append(" AND ts >= @from");
            command.AddParameter("@from", StoreTime.ToMicroseconds(from));
        }

        if (filter.To is { } to)
        {
            conditions.Append(" AND ts < @to");
            command.AddParameter("@to", StoreTime.ToMicroseconds(to));
        }

        var sql = new StringBuilder();
        if (database is SqliteDatabase sqlite && SearchKey(filter) is { } key)
        {
            await AuditSearchSchema.AttachAsync((Microsoft.Data.Sqlite.SqliteConnection)connection, sqlite.FilePath, cancellationToken);
            // Indexed part up to the indexer's watermark, then a scan of the tail it has not reached.
            command.AddParameter("@key", key);
            sql.Append(Columns).Append(" WHERE seq IN (SELECT seq FROM search.audit_search_keys WHERE key = @key AND seq > @after AND seq <= ")
                .Append(Watermark).Append(')').Append(conditions)
                .Append(" UNION ALL ").Append(Columns).Append(" WHERE seq > MAX(@after, ").Append(Watermark).Append(')').Append(conditions);
        }
        else
        {
            sql.Append(Columns).Append(" WHERE seq > @after").Append(conditions);
        }

        sql.Append(" ORDER BY seq");
        if (limit is { } max)
        {
            sql.Append(" LIMIT @limit");
            command.AddParameter("@limit", max);
        }

        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> CheckpointsAsync(long? minimumSize, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tree_size, root_hash, ts, note FROM audit_checkpoints WHERE tree_size >= @min ORDER BY id DESC LIMIT @limit";
        command.AddParameter("@min", minimumSize ?? 0);
        command.AddParameter("@limit", Math.Clamp(limit, 1, MaxPageSize));
        var checkpoints = new List<StoredCheckpoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            checkpoints.Add(new StoredCheckpoint(reader.GetInt64(0), (byte[])reader.GetValue(1), StoreTime.FromMicroseconds(reader.GetInt64(2)), reader.GetString(3)));
        }

        return checkpoints;
    }

    public async Task<IReadOnlyList<string>> CheckpointNotesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT note FROM audit_checkpoints ORDER BY id";
        var notes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notes.Add(reader.GetString(0));
        }

        return notes;
    }

    /// <summary>The first <paramref name="count"/> leaf hashes, in order (32 bytes each).</summary>
    public async Task<IReadOnlyList<byte[]>> LeafHashesAsync(long count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT leaf_hash FROM audit_events WHERE seq <= @count ORDER BY seq";
        command.AddParameter("@count", count);
        var leaves = new List<byte[]>((int)Math.Min(count, 1 << 20));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leaves.Add((byte[])reader.GetValue(0));
        }

        return leaves;
    }

    internal static AuditEvent Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        StoreTime.FromMicroseconds(reader.GetInt64(1)),
        reader.GetString(2),
        AuditActor.Parse(reader.GetString(3)),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetString(6),
        (byte[])reader.GetValue(7));

    private static string? SearchKey(AuditFilter filter) =>
        filter.RunId is { } run ? "run:" + run
        : filter.AgentId is { } agent ? "agent:" + agent
        : filter.Actor is { } actor ? "actor:" + actor
        : filter.Type is { } type ? "type:" + type
        : null;

    private static void AddCondition(DbCommand command, StringBuilder sql, string column, string parameter, string? value)
    {
        if (value is not null)
        {
            sql.Append(" AND ").Append(column).Append(" = ").Append(parameter);
            command.AddParameter(parameter, value);
        }
    }
}
