using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AgentHost.Core.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AgentHost.Core.Audit;

/// <summary>
/// Searches with free text or the filters only the data holds (person, agent name, function, decision,
/// rule). SQLite: the FTS5 table of the search file up to its watermark, every filter a token of it so
/// FTS5 intersects them walking seq in order, and the unindexed tail read through
/// <see cref="AuditSearchDocument"/> like the indexer would. PostgreSQL: audit_search_vectors and its GIN
/// index (M025, filled by <see cref="PostgresAuditSearchIndexer"/>) up to its watermark and
/// audit_search_vector() computed for the tail, with the other filters on their indexes.
/// </summary>
internal static class AuditFullTextSearch
{
    private const string TextColumn = "words";
    private const string KeysColumn = "keys";

    /// <summary>Whether a filter needs this search rather than the key lookup of <see cref="AuditReader"/>.</summary>
    public static bool Applies(AuditFilter filter) =>
        !AuditTextQuery.Parse(filter.Text).IsEmpty || filter.Person is not null || filter.AgentName is not null
        || filter.Function is not null || filter.Decision is not null || filter.Rule is not null;

    public static async IAsyncEnumerable<AuditEvent> ReadAsync(
        StoreDatabase database, DbConnection connection, AuditFilter filter, long? after, long? before, bool descending, long? limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? agentIds = null;
        if (filter.AgentName is { } name)
        {
            agentIds = await AgentIdsAsync(connection, name, cancellationToken);
            if (agentIds.Count == 0)
            {
                yield break;
            }
        }

        var query = AuditTextQuery.Parse(filter.Text);
        var remaining = limit ?? long.MaxValue;
        var events = database is SqliteDatabase sqlite
            ? ReadSqliteAsync((SqliteConnection)connection, sqlite.FilePath, filter, query, agentIds, after, before, descending, cancellationToken)
            : ReadPostgresAsync(connection, filter, query, agentIds, after, before, descending, limit, cancellationToken);
        await foreach (var e in events)
        {
            yield return e;
            if (--remaining == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Key groups that must all match, each matched by any of its keys (an agent name may name several agents).</summary>
    private static List<IReadOnlyList<string>> KeyGroups(AuditFilter filter, IReadOnlyList<string>? agentIds, bool postgres)
    {
        var groups = new List<IReadOnlyList<string>>();
        void Add(AuditSearchKey kind, string? value)
        {
            if (value is not null)
            {
                groups.Add([AuditSearchDocument.Key(kind, value)]);
            }
        }

        if (!postgres)
        {
            // PostgreSQL answers these from the columns' own indexes.
            Add(AuditSearchKey.Run, filter.RunId);
            Add(AuditSearchKey.Agent, filter.AgentId);
            Add(AuditSearchKey.Actor, AuditActorMatch.Email(filter.Actor) is null ? filter.Actor : null);
            Add(AuditSearchKey.Type, filter.Type);
            Add(AuditSearchKey.Person, AuditActorMatch.Email(filter.Actor) is null ? null : AuditSearchDocument.PersonOf(filter.Actor!));
            if (agentIds is not null)
            {
                groups.Add([.. agentIds.Select(id => AuditSearchDocument.Key(AuditSearchKey.Agent, id))]);
            }
        }

        Add(AuditSearchKey.Person, filter.Person is null ? null : AuditSearchDocument.PersonOf(filter.Person));
        Add(AuditSearchKey.Function, filter.Function?.Trim().ToLowerInvariant());
        Add(AuditSearchKey.Decision, filter.Decision?.Trim().ToLowerInvariant());
        Add(AuditSearchKey.Rule, filter.Rule?.Trim().ToLowerInvariant());
        return groups;
    }

    private static async IAsyncEnumerable<AuditEvent> ReadSqliteAsync(
        SqliteConnection connection, string file, AuditFilter filter, AuditTextQuery query, IReadOnlyList<string>? agentIds,
        long? after, long? before, bool descending, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await AuditSearchSchema.AttachAsync(connection, file, cancellationToken);
        var watermark = await connection.ExecuteScalarAsync<long>(StoreDatabase.Command("SELECT watermark FROM search.audit_text_state WHERE id = 1", null, null, cancellationToken));

        // ts never decreases along seq, so a time range is a seq range the FTS index can seek to.
        var low = after ?? 0;
        var high = before ?? long.MaxValue;
        if (filter.From is { } from)
        {
            var first = await connection.ExecuteScalarAsync<long?>(StoreDatabase.Command("SELECT seq FROM audit_events WHERE ts >= @from ORDER BY ts LIMIT 1", new { from = StoreTime.ToMicroseconds(from) }, null, cancellationToken));
            low = Math.Max(low, (first ?? long.MaxValue) - 1);
        }

        if (filter.To is { } to)
        {
            var last = await connection.ExecuteScalarAsync<long?>(StoreDatabase.Command("SELECT seq FROM audit_events WHERE ts < @to ORDER BY ts DESC LIMIT 1", new { to = StoreTime.ToMicroseconds(to) }, null, cancellationToken));
            high = Math.Min(high, (last ?? 0) + 1);
        }

        if (low + 1 >= high)
        {
            yield break;
        }

        var groups = KeyGroups(filter, agentIds, postgres: false);
        var times = new StringBuilder()
            .Append(filter.From is null ? "" : " AND e.ts >= @from")
            .Append(filter.To is null ? "" : " AND e.ts < @to")
            .ToString();
        var timeParameters = new
        {
            from = filter.From is { } f ? StoreTime.ToMicroseconds(f) : (long?)null,
            to = filter.To is { } t ? StoreTime.ToMicroseconds(t) : (long?)null,
        };

        // Newest first reads the tail (all newer than the watermark) before the index; oldest first after it.
        var tail = ReadTailAsync(connection, filter, query, groups, Math.Max(low, watermark), high, times, timeParameters, descending, cancellationToken);
        var indexed = ReadIndexedAsync(connection, query, groups, low, Math.Min(high, watermark + 1), times, timeParameters, descending, cancellationToken);
        foreach (var part in descending ? new[] { tail, indexed } : [indexed, tail])
        {
            await foreach (var e in part)
            {
                yield return e;
            }
        }
    }

    private static async IAsyncEnumerable<AuditEvent> ReadIndexedAsync(
        SqliteConnection connection, AuditTextQuery query, List<IReadOnlyList<string>> groups, long low, long high, string times, object timeParameters,
        bool descending, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (low + 1 >= high)
        {
            yield break;
        }

        var match = string.Join(" AND ", groups
            .Select(g => g.Count == 1 ? $"{KeysColumn} : \"{g[0]}\"" : $"{KeysColumn} : ({string.Join(" OR ", g.Select(k => $"\"{k}\""))})")
            .Append(query.IsEmpty ? null : query.ToFts5(TextColumn))
            .OfType<string>());
        var parameters = new DynamicParameters(timeParameters);
        parameters.Add("match", match);
        parameters.Add("low", low);
        parameters.Add("high", high);

        // CROSS JOIN keeps the FTS table outside: it walks its rowids (seq) in order and the first rows end the scan.
        var sql = "SELECT e.seq, e.ts, e.type, e.actor, e.agent_id, e.run_id, e.data, e.leaf_hash FROM search.audit_text f CROSS JOIN audit_events e ON e.seq = f.rowid"
            + " WHERE f.audit_text MATCH @match AND f.rowid > @low AND f.rowid < @high" + times
            + (descending ? " ORDER BY f.rowid DESC" : " ORDER BY f.rowid");
        await foreach (var row in connection.QueryUnbufferedAsync<AuditEventRow>(sql, parameters).WithCancellation(cancellationToken))
        {
            yield return row.ToEvent();
        }
    }

    /// <summary>
    /// The events the indexer has not reached, read as it would read them. SQL narrows them first by the
    /// columns and by ASCII words found anywhere in the lower-cased text (a superset: lower() folds only ASCII).
    /// </summary>
    private static async IAsyncEnumerable<AuditEvent> ReadTailAsync(
        SqliteConnection connection, AuditFilter filter, AuditTextQuery query, List<IReadOnlyList<string>> groups, long low, long high, string times, object timeParameters,
        bool descending, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (low + 1 >= high)
        {
            yield break;
        }

        var parameters = new DynamicParameters(timeParameters);
        parameters.Add("low", low);
        parameters.Add("high", high);
        var sql = new StringBuilder("SELECT e.seq, e.ts, e.type, e.actor, e.agent_id, e.run_id, e.data, e.leaf_hash FROM audit_events e WHERE e.seq > @low AND e.seq < @high").Append(times);
        var asciiTokens = query.Words.SelectMany(w => w.Tokens).Where(t => t.All(char.IsAscii)).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < asciiTokens.Count; i++)
        {
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $" AND instr(lower(e.type || ' ' || e.actor || ' ' || e.data), @w{i}) > 0");
            parameters.Add($"w{i}", asciiTokens[i]);
        }

        sql.Append(filter.RunId is null ? "" : " AND e.run_id = @run").Append(filter.AgentId is null ? "" : " AND e.agent_id = @agent").Append(filter.Type is null ? "" : " AND e.type = @type");
        parameters.Add("run", filter.RunId);
        parameters.Add("agent", filter.AgentId);
        parameters.Add("type", filter.Type);
        sql.Append(descending ? " ORDER BY e.seq DESC" : " ORDER BY e.seq");
        await foreach (var row in connection.QueryUnbufferedAsync<AuditEventRow>(sql.ToString(), parameters).WithCancellation(cancellationToken))
        {
            var document = AuditSearchDocument.Of(row.Type, row.Actor, row.AgentId, row.RunId, row.Data);
            if (groups.All(g => g.Any(document.Keys.Contains)) && query.Matches(document.Words))
            {
                yield return row.ToEvent();
            }
        }
    }

    private static async IAsyncEnumerable<AuditEvent> ReadPostgresAsync(
        DbConnection connection, AuditFilter filter, AuditTextQuery query, IReadOnlyList<string>? agentIds,
        long? after, long? before, bool descending, long? limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var email = AuditActorMatch.Email(filter.Actor);
        var parameters = new DynamicParameters(new
        {
            after = after ?? 0,
            before,
            run = filter.RunId,
            agent = filter.AgentId,
            actor = filter.Actor,
            type = filter.Type,
            from = filter.From is { } from ? StoreTime.ToMicroseconds(from) : (long?)null,
            to = filter.To is { } to ? StoreTime.ToMicroseconds(to) : (long?)null,
            limit,
            text = query.IsEmpty ? null : query.ToTsQuery(),
        });

        // Keys are hashed in SQL with the same lower() and md5() that computed the vectors: one definition of equal.
        var tsquery = new List<string>();
        void Key(AuditSearchKey kind, string? value)
        {
            if (value is not null)
            {
                var name = "k" + tsquery.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                parameters.Add(name, value);
                tsquery.Add($"('{AuditSearchDocument.KindPrefix(kind)}' || md5(lower(btrim(@{name}))))::tsquery");
            }
        }

        Key(AuditSearchKey.Person, email);
        Key(AuditSearchKey.Person, filter.Person is null ? null : AuditSearchDocument.PersonOf(filter.Person));
        Key(AuditSearchKey.Function, filter.Function);
        Key(AuditSearchKey.Decision, filter.Decision);
        Key(AuditSearchKey.Rule, filter.Rule);
        if (!query.IsEmpty)
        {
            tsquery.Add("to_tsquery('simple', @text)");
        }

        var filters = new StringBuilder(" WHERE e.seq > @after")
            .Append(before is null ? "" : " AND e.seq < @before")
            .Append(filter.RunId is null ? "" : " AND e.run_id = @run")
            .Append(filter.AgentId is null ? "" : " AND e.agent_id = @agent")
            .Append(agentIds is null ? "" : " AND e.agent_id IN " + StoreDatabase.InList(parameters, "agentId", agentIds))
            .Append(filter.Actor is null || email is not null ? "" : " AND e.actor = @actor")
            .Append(filter.Type is null ? "" : " AND e.type = @type")
            .Append(filter.From is null ? "" : " AND e.ts >= @from")
            .Append(filter.To is null ? "" : " AND e.ts < @to")
            .ToString();
        const string Columns = "e.seq, e.ts, e.type, e.actor, e.agent_id, e.run_id, e.data, e.leaf_hash";
        string Order(string seq) => (descending ? $" ORDER BY {seq} DESC" : $" ORDER BY {seq}") + (limit is null ? "" : " LIMIT @limit");
        var queries = new List<string>();
        if (tsquery.Count == 0)
        {
            queries.Add($"SELECT {Columns} FROM audit_events e{filters}{Order("e.seq")}");
        }
        else
        {
            // Up to the watermark the indexer's table and its GIN index; above it (the events the indexer
            // has not reached) the same function computed here. The table only grows as a prefix of the
            // log, so everything up to the watermark read now is still there when the next query runs:
            // each event is read from exactly one side whatever the indexer's lag. Two queries, each
            // ordered and limited on its own, so the planner can stop early as on one table.
            parameters.Add("watermark", await connection.ExecuteScalarAsync<long>(StoreDatabase.Command(PostgresAuditSearchIndexer.Watermark, null, null, cancellationToken)));
            var matches = "(" + string.Join(" && ", tsquery) + ")";
            var tail = $"SELECT {Columns} FROM audit_events e{filters} AND e.seq > @watermark AND audit_search_vector(e.type, e.actor, e.data) @@ {matches}{Order("e.seq")}";
            var indexed = $"SELECT {Columns} FROM audit_events e JOIN audit_search_vectors v ON v.seq = e.seq{filters} AND v.seq <= @watermark AND v.search_vector @@ {matches}{Order("v.seq")}";
            queries.AddRange(descending ? [tail, indexed] : [indexed, tail]);
        }

        foreach (var sql in queries)
        {
            await foreach (var row in connection.QueryUnbufferedAsync<AuditEventRow>(sql, parameters).WithCancellation(cancellationToken))
            {
                yield return row.ToEvent();
            }
        }
    }

    /// <summary>The ids of the agents whose name is <paramref name="name"/>, in any case (names are not unique).</summary>
    private static async Task<IReadOnlyList<string>> AgentIdsAsync(DbConnection connection, string name, CancellationToken cancellationToken)
    {
        var wanted = name.Trim();
        var ids = new List<string>();
        foreach (var agent in await connection.QueryAsync<AgentRow>(StoreDatabase.Command("SELECT id, definition FROM agents", null, null, cancellationToken)))
        {
            using var definition = JsonDocument.Parse(agent.Definition);
            if (definition.RootElement.TryGetProperty("name", out var value) && value.ValueKind == JsonValueKind.String
                && string.Equals(value.GetString()?.Trim(), wanted, StringComparison.OrdinalIgnoreCase))
            {
                ids.Add(agent.Id);
            }
        }

        return ids;
    }

    private sealed record AgentRow
    {
        public string Id { get; init; } = "";
        public string Definition { get; init; } = "";
    }
}
