namespace AgentHost.Core.Audit.Merkle;

/// <summary>
/// RFC 6962 section 2.1 tree heads, audit paths (inclusion proofs) and consistency proofs, with the
/// verification algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2. Leaf hashes are given in order.
/// </summary>
public static class MerkleProofs
{
    /// <summary>MTH of the first <paramref name="size"/> leaves.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes, long size) => throw new NotImplementedException();

    /// <summary>PATH(index, D[0:size]), bottom up.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long size) => throw new NotImplementedException();

    /// <summary>PROOF(fromSize, D[0:toSize]); empty when fromSize is 0 or equals toSize.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long fromSize, long toSize) => throw new NotImplementedException();

    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long size, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root) => throw new NotImplementedException();

    public static bool VerifyConsistency(long fromSize, long toSize, ReadOnlySpan<byte> fromRoot, ReadOnlySpan<byte> toRoot, IReadOnlyList<byte[]> proof) => throw new NotImplementedException();
}
