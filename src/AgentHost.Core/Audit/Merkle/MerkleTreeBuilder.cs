namespace AgentHost.Core.Audit.Merkle;

/// <summary>
/// Incremental RFC 6962 tree head over appended leaf hashes, keeping only O(log n) subtree roots
/// (a "compact range"), so the live log and the verifier never hold every leaf to know the root.
/// </summary>
public sealed class MerkleTreeBuilder
{
    public long Size => throw new NotImplementedException();

    /// <summary>Appends a leaf hash (already SHA-256(0x00 || data)).</summary>
    public void Append(ReadOnlySpan<byte> leafHash) => throw new NotImplementedException();

    /// <summary>The root of the tree of the leaves appended so far (RFC 6962 MTH).</summary>
    public byte[] Root() => throw new NotImplementedException();
}
