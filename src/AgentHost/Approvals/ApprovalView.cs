using AgentHost.Core.Approvals;

namespace AgentHost.Approvals;

/// <summary>
/// One approval as GET /api/approvals shows it. Group and Required are the first group and the sum, for
/// clients that predate several groups; Groups says what each one still needs.
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
    bool CanDecide)
{
    /// <summary><paramref name="redactedArguments"/>: what the model proposed may quote a credential someone pasted; the inbox never shows one.</summary>
    public static ApprovalView From(Approval a, ApprovalTally tally, string redactedArguments, bool canDecide)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(tally);
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
            canDecide);
    }
}

/// <summary>What one approver group still needs.</summary>
public sealed record ApprovalGroupView(string Group, int Required, int Approved, int Remaining);

/// <summary>Who may never decide the approval.</summary>
public sealed record ExcludedParties(string Owner, string? Requester, string? StartedBy);

/// <summary>A counted decision: the outcome (counted, approved, rejected) and what happens next.</summary>
public sealed record DecisionCounted(string? Outcome, string Message);
