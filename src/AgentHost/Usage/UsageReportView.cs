namespace AgentHost.Usage;

/// <summary>GET /api/usage: the report for one grouping and period ([from, to), whole UTC days).</summary>
public sealed record UsageReportView(string GroupBy, string From, string To, string Currency, IReadOnlyList<UsageRowView> Rows)
{
    public static UsageReportView Create(UsageGrouping grouping, UsagePeriod period, string currency, IEnumerable<UsageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(rows);
        return new(grouping.ToString().ToLowerInvariant(), UsagePeriod.Format(period.From), UsagePeriod.Format(period.To), currency, [.. rows.Select(UsageRowView.From)]);
    }
}

/// <summary>One row: tokens next to what they bought.</summary>
public sealed record UsageRowView(
    string Key,
    string Label,
    int Runs,
    UsageTokens Tokens,
    int Effects,
    IReadOnlyDictionary<string, int> EffectsByKind,
    int Reads,
    int ApprovalsGranted,
    int ApprovalsRejected,
    int RunsWithoutEffect,
    long? TokensPerEffect,
    decimal? Cost)
{
    public static UsageRowView From(UsageRow r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Key, r.Label, r.Runs, new UsageTokens(r.InputTokens, r.OutputTokens, r.Tokens), r.Effects, r.EffectsByKind, r.Reads, r.ApprovalsGranted, r.ApprovalsRejected, r.RunsWithoutEffect, r.TokensPerEffect, r.Cost);
    }
}

/// <summary>Tokens in, out and both.</summary>
public sealed record UsageTokens(long Input, long Output, long Total);
