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

    /// <summary>
    /// A page of events newest first, for a reviewer who starts at the present: no cursor gives the newest;
    /// <paramref name="before"/> the older page below a shown event, <paramref name="after"/> the newer page
    /// above one. Keyset paging (seq), never an offset: a page stays cheap however deep the trail is.
    /// </summary>
    public async Task<AuditBrowsePage> BrowseAsync(AuditFilter filter, long? before, long? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var newer = after is not null && before is null;
        var events = new List<AuditEvent>(limit + 1);
        await foreach (var e in ReadAsync(filter, newer ? after : null, newer ? null : before, descending: !newer, limit + 1, cancellationToken))
        {
            events.Add(e);
        }

        var more = events.Count > limit;
        if (more)
        {
            events.RemoveAt(events.Count - 1);
        }

        if (newer)
        {
            events.Reverse();
        }

        // The side a cursor came from holds at least the event it named; the side travelled towards has more when the extra row came back.
        var hasNewer = newer ? more : before is not null;
        var hasOlder = newer ? after is not null : more;
        return new AuditBrowsePage(
            events,
            hasNewer && events.Count > 0 ? events[0].Sequence : null,
            hasOlder && events.Count > 0 ? events[^1].Sequence : null);
    }

    /// <summary>Events in sequence order, read row by row: an export of millions never sits in memory.</summary>
    public IAsyncEnumerable<AuditEvent> StreamAsync(AuditFilter filter, long? after, long? limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return ReadAsync(filter, after, null, descending: false, limit, cancellationToken);
    }

    private async IAsyncEnumerable<AuditEvent> ReadAsync(AuditFilter filter, long? after, long? before, bool descending, long? limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (database.Dialect == StoreDialect.Postgres && HoldsNul(filter))
        {
            // PostgreSQL text never holds U+0000, so nothing matches; sent as a parameter it would be an error.
            yield break;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        if (AuditFullTextSearch.Applies(filter))
        {
            await foreach (var e in AuditFullTextSearch.ReadAsync(database, connection, filter, after, before, descending, limit, cancellationToken))
            {
                yield return e;
            }

            yield break;
        }

        var email = AuditActorMatch.Email(filter.Actor);
        var parameters = new DynamicParameters(new
        {
            after = after ?? 0,
            before,
            run = filter.RunId,
            agent = filter.AgentId,
            actor = filter.Actor,
            actorEmail = email,
            actorLike = email is null ? null : "%:" + AuditActorMatch.EscapeLike(email),
            type = filter.Type,
            from = filter.From is { } from ? StoreTime.ToMicroseconds(from) : (long?)null,
            to = filter.To is { } to ? StoreTime.ToMicroseconds(to) : (long?)null,
            limit,
        });
        var conditions = new StringBuilder()
            .Append(before is null ? "" : " AND seq < @before")
            .Append(filter.RunId is null ? "" : " AND run_id = @run")
            .Append(filter.AgentId is null ? "" : " AND agent_id = @agent")
            .Append(filter.Actor is null ? ""
                : email is null ? " AND actor = @actor"
                : " AND (lower(actor) = @actorEmail OR lower(actor) LIKE @actorLike ESCAPE '\\')")
            .Append(filter.Type is null ? "" : " AND type = @type")
            .Append(filter.From is null ? "" : " AND ts >= @from")
            .Append(filter.To is null ? "" : " AND ts < @to");

        var sql = new StringBuilder();
        if (database is SqliteDatabase sqlite && SearchKey(filter, email is not null) is { } key)
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

        sql.Append(descending ? " ORDER BY seq DESC" : " ORDER BY seq").Append(limit is null ? "" : " LIMIT @limit");
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

    private static bool HoldsNul(AuditFilter filter) =>
        new[] { filter.RunId, filter.AgentId, filter.Actor, filter.Type, filter.Person, filter.AgentName, filter.Function, filter.Decision, filter.Rule }
            .Any(value => value?.Contains('\0', StringComparison.Ordinal) == true);

    /// <summary>The search index holds exact actors; an actor found by e-mail (any role prefix, any case) is scanned for.</summary>
    private static string? SearchKey(AuditFilter filter, bool actorByEmail) =>
        filter.RunId is { } run ? "run:" + run
        : filter.AgentId is { } agent ? "agent:" + agent
        : filter.Actor is { } actor && !actorByEmail ? "actor:" + actor
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
