using AgentHost.Core.Policies;

namespace AgentHost.Audit.Overview;

/// <summary>
/// GET /api/audit/overview: the security picture of the last <see cref="Days"/> UTC days (today included,
/// so <see cref="From"/> is a midnight and <see cref="To"/> is now): policy decisions by outcome, rule,
/// agent and day; denials and refused requests per day with their spikes; the approvals waiting longest;
/// the agents that can change the world outside; and how far the SIEM stream lags.
/// </summary>
public sealed record SecurityOverviewReport(
    int Days,
    DateTimeOffset From,
    DateTimeOffset To,
    DecisionCounts Decisions,
    IReadOnlyList<RuleDecisions> Rules,
    IReadOnlyList<AgentDecisions> Agents,
    IReadOnlyList<DayDecisions> DecisionsByDay,
    IReadOnlyList<DayCount> Denials,
    IReadOnlyList<DayCount> RefusedRequests,
    IReadOnlyList<WaitingApproval> WaitingApprovals,
    IReadOnlyList<AgentWithExternalEffects> ExternalEffects,
    IReadOnlyList<SiemLag> Siem);

/// <summary>
/// Policy decisions by outcome. <see cref="Other"/> counts decisions whose outcome the host does not know
/// (a forged or future value): they are counted, never dropped.
/// </summary>
public sealed record DecisionCounts(long Allow, long RequireApproval, long Deny, long Other)
{
    public static DecisionCounts None { get; } = new(0, 0, 0, 0);

    public long Total => Allow + RequireApproval + Deny + Other;

    public DecisionCounts Add(string? outcome, long count) => PolicyText.ParseOutcome(outcome) switch
    {
        PolicyOutcome.Allow => this with { Allow = Allow + count },
        PolicyOutcome.RequireApproval => this with { RequireApproval = RequireApproval + count },
        PolicyOutcome.Deny => this with { Deny = Deny + count },
        _ => this with { Other = Other + count },
    };
}

/// <summary>The decisions a rule took part in (a decision names every rule that produced it).</summary>
public sealed record RuleDecisions(string Rule, DecisionCounts Decisions);

/// <summary>The decisions on one agent's calls; <see cref="Name"/> is null for an agent the store no longer has.</summary>
public sealed record AgentDecisions(string AgentId, string? Name, DecisionCounts Decisions);

/// <summary>The decisions of one UTC day.</summary>
public sealed record DayDecisions(DateOnly Day, DecisionCounts Decisions);

/// <summary>
/// A count for one UTC day. <see cref="Spike"/>: at least <see cref="SecurityOverview.SpikeFactor"/> times
/// the median of the period's other days and at least <see cref="SecurityOverview.SpikeFloor"/>.
/// </summary>
public sealed record DayCount(DateOnly Day, long Count, bool Spike);

/// <summary>A pending approval: who asked (the run's requester), for which call, since when and for how long (seconds).</summary>
public sealed record WaitingApproval(
    string Id,
    string AgentId,
    string? AgentName,
    string RunId,
    string Function,
    string? RequestedBy,
    DateTimeOffset WaitingSince,
    long AgeSeconds,
    DateTimeOffset ExpiresAt);

/// <summary>An agent granted tools that write or destroy outside the host, with those tools; <see cref="Status"/> is active or disabled.</summary>
public sealed record AgentWithExternalEffects(string AgentId, string? Name, string Owner, string Status, IReadOnlyList<ExternalTool> Tools);

/// <summary>A granted tool by its catalog name, with its declared effect: write, destructive, or unknown (no longer in the catalog).</summary>
public sealed record ExternalTool(string Name, string Effect);

/// <summary>A SIEM destination: events not yet delivered, how far it got, and what last went wrong (never a secret).</summary>
public sealed record SiemLag(
    string Name,
    string Kind,
    string Target,
    long Lag,
    long DeliveredUpTo,
    DateTimeOffset? LastDeliveryAt,
    string? LastError,
    DateTimeOffset? LastErrorAt);
