using AgentHost.Core.Audit.Checkpoints;

namespace AgentHost.Core.Audit;

/// <summary>
/// The verdict on a log. When invalid, <see cref="FirstInvalidSeq"/> names the first event that fails,
/// or, when every event is self-consistent but a signed checkpoint no longer matches (the log was
/// rebuilt with recomputed hashes), <see cref="FirstBadCheckpointSize"/> names that checkpoint and the
/// reason names the range of events it covers.
/// </summary>
public sealed record AuditVerificationResult(
    bool Valid,
    long Count,
    Checkpoint? LatestVerifiedCheckpoint,
    long? FirstInvalidSeq,
    long? FirstBadCheckpointSize,
    string? Reason,
    bool SignaturesChecked);
