using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Content;

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
    bool SignaturesChecked,
    ContentVerification? Content = null)
{
    /// <summary>This verdict with the content's: a trail whose content fails is not valid, and says which event names the piece.</summary>
    public AuditVerificationResult WithContent(ContentVerification content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return !Valid || content.Valid
            ? this with { Content = content }
            : this with { Valid = false, Content = content, FirstInvalidSeq = content.FirstInvalidSeq, Reason = content.Reason };
    }
}
