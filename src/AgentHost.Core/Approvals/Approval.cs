namespace AgentHost.Core.Approvals;

/// <summary>
/// A parked tool call waiting for people: who may sign it off, how many must, and until when.
/// <see cref="TaintSources"/> says which arguments came from untrusted content, and from which call.
/// <see cref="Arguments"/> is the canonical JSON of the call and <see cref="ArgumentsSha256"/> its hash:
/// the resumed run executes exactly this call, and fails closed if either no longer matches.
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
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    bool Resumed,
    IReadOnlyList<ApprovalVote> Votes,
    IReadOnlyDictionary<string, string>? TaintSources = null,
    string? ArgumentsSha256 = null);

/// <summary>One approver's decision; each approver counts once.</summary>
public sealed record ApprovalVote(string Approver, string Decision, string? Comment, DateTimeOffset At);
