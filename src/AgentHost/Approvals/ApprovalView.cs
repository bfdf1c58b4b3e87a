using AgentHost.Core.Approvals;

namespace AgentHost.Approvals;

/// <summary>
/// One approval as GET /api/approvals shows it. Group and Required are the first group and the sum, for
/// clients that predate several groups; Groups says what each one still needs. MayDecide names, per
/// group, who may decide it now (empty once it is settled); DecidedAt is when it was settled; EscalateTo
/// is the group that takes over at expiry, EscalatedAt when it did.
/// </summary>
public sealed record ApprovalView(
    string Id,
    string RunId,
    string AgentId,
    string Owner,
    string Function,
    string Arguments,
    IReadOnlyList<string> Rules,
    string Group,
    int Required,
    IReadOnlyList<ApprovalGroupView> Groups,
    string? Needs,
    ExcludedParties Excluded,
    ApprovalStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<ApprovalVote> Votes,
    IReadOnlyDictionary<string, string> TaintSources,
    bool CanDecide,
    IReadOnlyList<GroupDecidersView> MayDecide,
    DateTimeOffset? DecidedAt,
    string? EscalateTo,
    DateTimeOffset? EscalatedAt)
{
    /// <summary><paramref name="redactedArguments"/>: what the model proposed may quote a credential someone pasted; the inbox never shows one.</summary>
    public static ApprovalView From(Approval a, ApprovalTally tally, string redactedArguments, bool canDecide, IReadOnlyList<GroupDeciders> deciders)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(deciders);
        return new(
            a.Id,
            a.RunId,
            a.AgentId,
            a.Owner,
            a.Function,
            redactedArguments,
            a.Rules,
            a.RequiredGroups[0].Group,
            a.RequiredGroups.Sum(g => g.Count),
            [.. tally.Groups.Select(g => new ApprovalGroupView(g.Group, g.Required, g.Approved, g.Remaining))],
            a.Status == ApprovalStatus.Pending ? tally.Needs : null,
            new ExcludedParties(a.Owner, a.Requester, a.StartedBy),
            a.Status,
            a.CreatedAt,
            a.ExpiresAt,
            a.Votes,
            a.TaintSources ?? new Dictionary<string, string>(),
            canDecide,
            [.. deciders.Select(d => new GroupDecidersView(d.Group.Group, [.. d.People.Select(p => p.Email)]))],
            a.DecidedAt,
            a.EscalateTo,
            a.EscalatedAt);
    }
}

/// <summary>What one approver group still needs.</summary>
public sealed record ApprovalGroupView(string Group, int Required, int Approved, int Remaining);

/// <summary>The members of one required group who may decide the approval now (e-mail addresses).</summary>
public sealed record GroupDecidersView(string Group, IReadOnlyList<string> People);

/// <summary>Who may never decide the approval.</summary>
public sealed record ExcludedParties(string Owner, string? Requester, string? StartedBy);

/// <summary>A counted decision: the outcome (counted, approved, rejected) and what happens next.</summary>
public sealed record DecisionCounted(string? Outcome, string Message);
