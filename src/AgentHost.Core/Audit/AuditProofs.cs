using AgentHost.Core.Audit.Merkle;

namespace AgentHost.Core.Audit;

/// <summary>Inclusion and consistency proofs over the stored log, with the roots a client checks them against.</summary>
public sealed class AuditProofs(AuditReader reader)
{
    /// <summary>Proves event <paramref name="seq"/> (leaf index seq - 1) is in the tree of <paramref name="treeSize"/> events.</summary>
    public async Task<InclusionProof?> InclusionAsync(long seq, long treeSize, CancellationToken cancellationToken)
    {
        if (seq < 1 || treeSize < seq)
        {
            return null;
        }

        var leaves = await reader.LeafHashesAsync(treeSize, cancellationToken);
        if (leaves.Count < treeSize)
        {
            return null;
        }

        return new InclusionProof(seq, treeSize, leaves[(int)(seq - 1)], MerkleProofs.InclusionProof(leaves, seq - 1, treeSize), MerkleProofs.Root(leaves, treeSize));
    }

    public async Task<ConsistencyProof?> ConsistencyAsync(long fromSize, long toSize, CancellationToken cancellationToken)
    {
        if (fromSize < 0 || toSize < fromSize)
        {
            return null;
        }

        var leaves = await reader.LeafHashesAsync(toSize, cancellationToken);
        if (leaves.Count < toSize)
        {
            return null;
        }

        return new ConsistencyProof(fromSize, toSize, MerkleProofs.Root(leaves, fromSize), MerkleProofs.Root(leaves, toSize), MerkleProofs.ConsistencyProof(leaves, fromSize, toSize));
    }
}

public sealed record InclusionProof(long Seq, long TreeSize, byte[] LeafHash, IReadOnlyList<byte[]> Path, byte[] RootHash)
{
    public bool Verify() => MerkleProofs.VerifyInclusion(LeafHash, Seq - 1, TreeSize, Path, RootHash);
}

public sealed record ConsistencyProof(long FromSize, long ToSize, byte[] FromRoot, byte[] ToRoot, IReadOnlyList<byte[]> Path)
{
    public bool Verify() => MerkleProofs.VerifyConsistency(FromSize, ToSize, FromRoot, ToRoot, Path);
}
