namespace AgentHost.Core.Policies.Replay;

/// <summary>
/// What a candidate policy set would have decided differently over a period of recorded calls.
/// <see cref="Replayed"/> counts the calls evaluated; <see cref="NotReplayed"/> those of agents deleted
/// since (nothing to evaluate them against), of tools no longer in the catalog, or, against the records, calls without a recorded decision; <see cref="Changed"/> lists at most the first changes,
/// <see cref="ChangedCount"/> counts them all; <see cref="Groups"/> groups them all by change, rule and agent.
/// </summary>
public sealed record PolicyReplayReport(
    DateTimeOffset Since,
    string BaselineHash,
    string CandidateHash,
    int Replayed,
    int NotReplayed,
    int ChangedCount,
    IReadOnlyDictionary<PolicyChange, int> ByChange,
    IReadOnlyList<ReplayGroup> Groups,
    IReadOnlyList<ReplayedCall> Changed,
    TimeSpan Elapsed);
