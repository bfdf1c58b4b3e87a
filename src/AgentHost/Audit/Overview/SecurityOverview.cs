using System.Text.Json;
using AgentHost.Audit.Siem;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;

namespace AgentHost.Audit.Overview;

/// <summary>
/// The security overview (GET /api/audit/overview, the /security page). The trail is counted in the
/// store, in one pass over the period: its first event is found on the ts index, and the rest is a range
/// of seq (the primary key), because SQLite keeps audit_events free of other indexes (AuditSearchSchema)
/// and a range of the primary key reads the period once on both providers. Only the groups (day, type,
/// agent, outcome, rules) come back, so the cost follows the period's events, not the trail's.
/// </summary>
public sealed class SecurityOverview(StoreDatabase database, AgentStore agents, ToolCatalog catalog, SiemStreamStatus siem, TimeProvider time)
{
    public const int DefaultDays = 7;
    public const int MaxDays = 90;
    public const int TopCount = 20;
    public const int WaitingCount = 10;

    /// <summary>A day spikes when its count is at least this many times the median of the period's other days...</summary>
    public const int SpikeFactor = 3;

    /// <summary>...and at least this many: a quiet trail going from 1 to 3 is no spike.</summary>
    public const int SpikeFloor = 10;

    /// <summary>
    /// The effect shown for a granted tool the catalog no longer has (a removed plugin or MCP server): the
    /// gate treats such a call as destructive and external, and so does this list.
    /// </summary>
    public const string UnknownEffect = "unknown";

    private const long MicrosPerDay = 86_400_000_000L;

    private static readonly int EpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    // ts ascending on its index: the period's first event, and with it the lower end of the seq range.
    private const string FirstSeq = "SELECT seq FROM audit_events WHERE ts >= @since ORDER BY ts LIMIT 1";

    public async Task<SecurityOverviewReport> ReadAsync(int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var now = time.GetUtcNow();
        var firstDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1 - days);
        var since = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var period = Enumerable.Range(0, days).Select(firstDay.AddDays).ToArray();

        var rows = await CountAsync(since, cancellationToken);
        var everyAgent = (await agents.ListAsync(null, cancellationToken)).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var waiting = await WaitingAsync(now, everyAgent, cancellationToken);
        var lag = await siem.ReadAsync(cancellationToken);

        var decisions = rows.Where(r => r.Type == AuditEventTypes.PolicyDecided).ToList();
        var byDay = period.ToDictionary(d => d, _ => DecisionCounts.None);
        var refused = period.ToDictionary(d => d, _ => 0L);
        foreach (var row in rows)
        {
            var day = DayOf(row.Day);
            if (row.Type == AuditEventTypes.PolicyDecided && byDay.TryGetValue(day, out var counts))
            {
                byDay[day] = counts.Add(row.Decision, row.Count);
            }
            else if (row.Type != AuditEventTypes.PolicyDecided && refused.ContainsKey(day))
            {
                refused[day] += row.Count;
            }
        }

        return new SecurityOverviewReport(
            days,
            since,
            now,
            decisions.Aggregate(DecisionCounts.None, (sum, r) => sum.Add(r.Decision, r.Count)),
            [.. Top(decisions.SelectMany(r => RulesOf(r.Rules).Select(rule => (Key: rule, Row: r))))
                .Select(t => new RuleDecisions(t.Key, t.Counts))],
            [.. Top(decisions.Where(r => r.AgentId is not null).Select(r => (Key: r.AgentId!, Row: r)))
                .Select(t => new AgentDecisions(t.Key, everyAgent.GetValueOrDefault(t.Key)?.Definition.Name, t.Counts))],
            [.. period.Select(d => new DayDecisions(d, byDay[d]))],
            Series(period, d => byDay[d].Deny),
            Series(period, d => refused[d]),
            waiting,
            ExternalEffects(everyAgent.Values),
            [.. lag.Select(d => new SiemLag(d.Name, d.Kind.ToString().ToLowerInvariant(), d.Target, d.Lag, d.Cursor?.LastSeq ?? 0, d.Cursor?.ForwardedAt, d.Cursor?.LastError, d.Cursor?.LastErrorAt))]);
    }

    /// <summary>Whether <paramref name="count"/> spikes against the other days of its period (see <see cref="SpikeFactor"/>).</summary>
    public static bool IsSpike(long count, IReadOnlyCollection<long> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        if (count < SpikeFloor || others.Count == 0)
        {
            return false;
        }

        var sorted = others.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
        return count >= SpikeFactor * median;
    }

    private static IReadOnlyList<DayCount> Series(DateOnly[] period, Func<DateOnly, long> count)
    {
        var counts = period.Select(count).ToArray();
        return [.. period.Select((day, i) => new DayCount(day, counts[i], IsSpike(counts[i], [.. counts.Where((_, j) => j != i)])))];
    }

    private static IEnumerable<(string Key, DecisionCounts Counts)> Top(IEnumerable<(string Key, OverviewRow Row)> rows) =>
        rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Counts: g.Aggregate(DecisionCounts.None, (sum, r) => sum.Add(r.Row.Decision, r.Row.Count))))
            .OrderByDescending(t => t.Counts.Total)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(TopCount);

    private static DateOnly DayOf(long epochDay) => DateOnly.FromDayNumber(checked(EpochDay + (int)epochDay));

    /// <summary>The rule ids of a decision's rules array (as JSON text); anything else names no rule.</summary>
    private static IEnumerable<string> RulesOf(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Distinct(StringComparer.Ordinal)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private async Task<IReadOnlyList<OverviewRow>> CountAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            since = StoreTime.ToMicroseconds(since),
            decided = AuditEventTypes.PolicyDecided,
            denied = AuditEventTypes.AuthDenied,
            rejected = AuditEventTypes.SlackRequestRejected,
        };
        var first = await database.QuerySingleOrDefaultAsync<long?>(FirstSeq, parameters, cancellationToken);
        return first is not { } from
            ? []
            : await database.QueryAsync<OverviewRow>(CountSql(database.Dialect), new { parameters.since, parameters.decided, parameters.denied, parameters.rejected, from }, cancellationToken);
    }

    // A refusal event counts the requests of its minute (RefusedRequests' "count"); one without counts one.
    // PostgreSQL reads the fields as json, not jsonb: each row is read once, and building jsonb cost a
    // third more over a million events (docs/benchmarks.md).
    // The ts condition keeps the count exact if another host's clock wrote a late ts below the first seq.
    private static string CountSql(StoreDialect dialect)
    {
        var (decision, rules, count) = dialect == StoreDialect.Sqlite
            ? ("json_extract(data, '$.decision')", "json_extract(data, '$.rules')",
                "CASE WHEN json_type(data, '$.count') = 'integer' THEN json_extract(data, '$.count') ELSE 1 END")
            : ("data::json ->> 'decision'", "(data::json -> 'rules')::text",
                "CASE WHEN json_typeof(data::json -> 'count') = 'number' THEN (data::json ->> 'count')::numeric::bigint ELSE 1 END");
        return $"SELECT ts / {MicrosPerDay} AS day, type, agent_id, "
            + $"CASE WHEN type = @decided THEN {decision} END AS decision, "
            + $"CASE WHEN type = @decided THEN {rules} END AS rules, "
            + $"CAST(SUM(CASE WHEN type = @decided THEN 1 ELSE {count} END) AS BIGINT) AS count "
            + "FROM audit_events WHERE seq >= @from AND ts >= @since AND type IN (@decided, @denied, @rejected) "
            + "GROUP BY 1, 2, 3, 4, 5";
    }

    private async Task<IReadOnlyList<WaitingApproval>> WaitingAsync(DateTimeOffset now, Dictionary<string, Agent> everyAgent, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<WaitingRow>(
            "SELECT a.id, a.agent_id, a.run_id, a.function, a.created_at, a.expires_at, r.requester FROM approvals a "
            + "LEFT JOIN runs r ON r.id = a.run_id WHERE a.status = @pending ORDER BY a.created_at, a.id LIMIT @limit",
            new { pending = ApprovalStatus.Pending.ToText(), limit = WaitingCount },
            cancellationToken);
        return [.. rows.Select(r =>
        {
            var since = StoreTime.FromMicroseconds(r.CreatedAt);
            return new WaitingApproval(
                r.Id, r.AgentId, everyAgent.GetValueOrDefault(r.AgentId)?.Definition.Name, r.RunId, r.Function, r.Requester,
                since, Math.Max(0, (long)(now - since).TotalSeconds), StoreTime.FromMicroseconds(r.ExpiresAt));
        })];
    }

    private List<AgentWithExternalEffects> ExternalEffects(IEnumerable<Agent> all) =>
        [.. all.Select(agent => (Agent: agent, Tools: (agent.Definition.Tools ?? [])
                .Distinct(StringComparer.Ordinal)
                .Select(Exposed)
                .OfType<ExternalTool>()
                .OrderBy(tool => tool.Effect switch { UnknownEffect => 0, "destructive" => 1, _ => 2 })
                .ThenBy(tool => tool.Name, StringComparer.Ordinal)
                .ToList()))
            .Where(a => a.Tools.Count > 0)
            .OrderBy(a => a.Agent.Disabled)
            .ThenByDescending(a => a.Tools.Count(t => t.Effect != "write"))
            .ThenBy(a => a.Agent.Definition.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(a => a.Agent.Id, StringComparer.Ordinal)
            .Select(a => new AgentWithExternalEffects(a.Agent.Id, a.Agent.Definition.Name, a.Agent.Owner, a.Agent.Disabled ? "disabled" : "active", a.Tools))];

    private ExternalTool? Exposed(string name)
    {
        if (!catalog.TryGet(name, out var tool))
        {
            return new ExternalTool(name, UnknownEffect);
        }

        return tool.Reach == ToolReach.External && tool.Effect is ToolEffect.Write or ToolEffect.Destructive
            ? new ExternalTool(name, tool.Effect.ToString().ToLowerInvariant())
            : null;
    }

    private sealed record OverviewRow
    {
        public long Day { get; init; }
        public string Type { get; init; } = "";
        public string? AgentId { get; init; }
        public string? Decision { get; init; }
        public string? Rules { get; init; }
        public long Count { get; init; }
    }

    private sealed record WaitingRow
    {
        public string Id { get; init; } = "";
        public string AgentId { get; init; } = "";
        public string RunId { get; init; } = "";
        public string Function { get; init; } = "";
        public long CreatedAt { get; init; }
        public long ExpiresAt { get; init; }
        public string? Requester { get; init; }
    }
}
