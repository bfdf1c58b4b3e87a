using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;

namespace AgentHost.Audit;

/// <summary>GET /api/audit: a page of events and the cursor of the next page (null at the end).</summary>
public sealed record AuditSearchPage(IReadOnlyList<AuditEventView> Events, long? NextCursor);

/// <summary>
/// GET /api/audit/verify: whether the trail verifies, and if not the first bad event or checkpoint; how many
/// events the latest signed checkpoint covers (signedEvents) and the coverage in words: the events after it
/// are hash-checked only, until the next checkpoint signs them.
/// </summary>
public sealed record VerificationView(bool Valid, long Count, CheckpointHeadView? Checkpoint, long? FirstInvalidSeq, long? FirstBadCheckpointSize, string? Reason, bool SignaturesChecked, long SignedEvents, string Coverage, ContentVerificationView? Content)
{
    public static VerificationView From(AuditVerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(
            result.Valid,
            result.Count,
            result.LatestVerifiedCheckpoint is { } c ? new CheckpointHeadView(c.TreeSize, Convert.ToHexStringLower(c.RootHash), c.Timestamp) : null,
            result.FirstInvalidSeq,
            result.FirstBadCheckpointSize,
            result.Reason,
            result.SignaturesChecked,
            AuditCoverage.SignedEvents(result),
            AuditCoverage.Describe(result),
            result.Content is { } content ? new ContentVerificationView(content.Checked, content.RemovedUnderRetention, content.Hash, content.Reason) : null);
    }
}

/// <summary>The conversation content: pieces rehashed, pieces removed under retention (their hash stays in the trail), and the first piece that fails.</summary>
public sealed record ContentVerificationView(long Checked, long RemovedUnderRetention, string? FirstInvalidSha256, string? Reason);

/// <summary>A checkpoint's tree size, root hash (hex) and time.</summary>
public sealed record CheckpointHeadView(long TreeSize, string RootHash, DateTimeOffset Timestamp);

/// <summary>A stored checkpoint with its signed note.</summary>
public sealed record CheckpointView(long TreeSize, string RootHash, DateTimeOffset Timestamp, string Note)
{
    public static CheckpointView From(StoredCheckpoint c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.TreeSize, Convert.ToHexStringLower(c.RootHash), c.Timestamp, c.Note);
    }
}

/// <summary>An RFC 6962 inclusion proof, hashes in hex.</summary>
public sealed record InclusionProofView(long Seq, long TreeSize, string LeafHash, IReadOnlyList<string> Path, string RootHash)
{
    public static InclusionProofView From(InclusionProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return new(proof.Seq, proof.TreeSize, Convert.ToHexStringLower(proof.LeafHash), [.. proof.Path.Select(Convert.ToHexStringLower)], Convert.ToHexStringLower(proof.RootHash));
    }
}

/// <summary>An RFC 6962 consistency proof, hashes in hex.</summary>
public sealed record ConsistencyProofView(long FromSize, long ToSize, string FromRoot, string ToRoot, IReadOnlyList<string> Path)
{
    public static ConsistencyProofView From(ConsistencyProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return new(proof.FromSize, proof.ToSize, Convert.ToHexStringLower(proof.FromRoot), Convert.ToHexStringLower(proof.ToRoot), [.. proof.Path.Select(Convert.ToHexStringLower)]);
    }
}
