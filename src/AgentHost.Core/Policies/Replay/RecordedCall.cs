namespace AgentHost.Core.Policies.Replay;

/// <summary>
/// A tool call as the audit trail recorded it (action.requested and its policy.decided): what the
/// gate was asked and what it answered. <see cref="RecordedDecision"/> is null when the trail holds no
/// decision for the call (an export cut between the two events).
/// </summary>
public sealed record RecordedCall(
    long Seq,
    DateTimeOffset At,
    string AgentId,
    string RunId,
    string CallId,
    string Function,
    string ArgumentsJson,
    IReadOnlySet<string> TaintedArguments,
    string Requester,
    PolicyOutcome? RecordedDecision,
    IReadOnlyList<string> RecordedRules);
