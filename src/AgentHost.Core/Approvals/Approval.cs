namespace AgentHost.Core.Approvals;

/// <summary>
/// A parked tool call waiting for people: which groups must sign it off, how many of each, and until when.
/// <see cref="TaintSources"/> says which arguments came from untrusted content, and from which call.
/// <see cref="Arguments"/> is the canonical JSON of the call and <see cref="ArgumentsSha256"/> its hash:
/// the resumed run executes exactly this call, and fails closed if either no longer matches.
/// <see cref="Group"/> and <see cref="Required"/> are the columns of approvals made before several
/// groups could be required; <see cref="RequiredGroups"/> is what counts.
/// <see cref="Requester"/> and <see cref="StartedBy"/> are read from the run, never from the approval row.
/// <see cref="DecidedAt"/> is when it stopped being pending (decided, expired, cancelled); null while
/// pending and on approvals settled before migration 19.
/// <see cref="RemindAt"/> is when the undecided approvers are reminded (null once they were, or for an
/// approval from before reminders); <see cref="EscalateTo"/> the group that takes over when time runs
/// out, once (<see cref="EscalatedAt"/> says it did).
/// </summary>
public sealed record Approval(
    string Id,
    string RunId,
    string AgentId,
    string Owner,
    string CallId,
    string Function,
    string Arguments,
    IReadOnlyList<string> Rules,
    string Group,
    int Required,
    ApprovalStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    bool Resumed,
    IReadOnlyList<ApprovalVote> Votes,
    IReadOnlyDictionary<string, string>? TaintSources = null,
    string? ArgumentsSha256 = null,
    IReadOnlyList<ApprovalGroup>? Groups = null,
    string? Requester = null,
    string? StartedBy = null,
    DateTimeOffset? DecidedAt = null,
    DateTimeOffset? RemindAt = null,
    string? EscalateTo = null,
    DateTimeOffset? EscalatedAt = null)
{
    /// <summary>Every group whose approval is needed; an approval from before migration 13 has its one group.</summary>
    public IReadOnlyList<ApprovalGroup> RequiredGroups => Groups is { Count: > 0 } groups ? groups : [new ApprovalGroup(Group, Required)];

    /// <summary>Who may never decide it: the agent's owner, the run's requester and whoever started the run (canonical e-mail).</summary>
    public IReadOnlySet<string> Excluded => new[] { Owner, Requester, StartedBy }
        .Select(ApproverIdentity.Canonical)
        .Where(e => e.Length > 0)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>"alice@example.com (owner), carol@example.com (requester, started the run)".</summary>
    public string ExcludedText => string.Join(", ", new[] { (Who: Owner, Role: "owner"), (Who: Requester, Role: "requester"), (Who: StartedBy, Role: "started the run") }
        .Select(p => (Who: ApproverIdentity.Canonical(p.Who), p.Role))
        .Where(p => p.Who.Length > 0)
        .GroupBy(p => p.Who, StringComparer.Ordinal)
        .Select(g => $"{g.Key} ({string.Join(", ", g.Select(p => p.Role))})"));

    /// <summary>Why <paramref name="person"/> may not decide, or null: "the agent's owner", "the run's requester", "who started the run".</summary>
    public string? ExclusionOf(string person) =>
        ApproverIdentity.Same(person, Owner) ? "the agent's owner"
        : ApproverIdentity.Same(person, Requester) ? "the run's requester"
        : ApproverIdentity.Same(person, StartedBy) ? "who started the run"
        : null;
}

/// <summary>One approver's decision; each approver counts once.</summary>
public sealed record ApprovalVote(string Approver, string Decision, string? Comment, DateTimeOffset At);
