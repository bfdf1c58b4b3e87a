namespace AgentHost.Core.Audit.Merkle;

/// <summary>
/// RFC 6962 section 2.1 tree heads, audit paths (inclusion proofs) and consistency proofs, with the
/// verification algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2. Leaf hashes are given in order.
/// </summary>
public static class MerkleProofs
{
    /// <summary>MTH of the first <paramref name="size"/> leaves.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes, long size)
    {
        CheckSize(leafHashes, size);
        return size == 0 ? MerkleHash.EmptyRoot() : SubtreeRoot(leafHashes, 0, size);
    }

    /// <summary>PATH(index, D[0:size]), bottom up.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long size)
    {
        CheckSize(leafHashes, size);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var path = new List<byte[]>();
        Path(leafHashes, index, 0, size, path);
        return path;
    }

    /// <summary>PROOF(fromSize, D[0:toSize]); empty when fromSize is 0 or equals toSize.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long fromSize, long toSize)
    {
        CheckSize(leafHashes, toSize);
        ArgumentOutOfRangeException.ThrowIfNegative(fromSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromSize, toSize);
        var proof = new List<byte[]>();
        if (fromSize > 0)
        {
            SubProof(leafHashes, fromSize, 0, toSize, wholeOldTree: true, proof);
        }

        return proof;
    }

    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long size, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= size || leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size)
        {
            return false;
        }

        long fn = index, sn = size - 1;
        Span<byte> r = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(r);
        foreach (var p in proof)
        {
            if (sn == 0 || p.Length != MerkleHash.Size)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.HashChildren(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.HashChildren(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.SequenceEqual(root);
    }

    /// <summary>
    /// From size 0 every tree is consistent (an empty proof, and the old root must be the empty root);
    /// equal sizes need an empty proof and equal roots.
    /// </summary>
    public static bool VerifyConsistency(long fromSize, long toSize, ReadOnlySpan<byte> fromRoot, ReadOnlySpan<byte> toRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (fromSize < 0 || fromSize > toSize || fromRoot.Length != MerkleHash.Size || toRoot.Length != MerkleHash.Size)
        {
            return false;
        }

        if (fromSize == 0)
        {
            return proof.Count == 0 && fromRoot.SequenceEqual(MerkleHash.EmptyRoot());
        }

        if (fromSize == toSize)
        {
            return proof.Count == 0 && fromRoot.SequenceEqual(toRoot);
        }

        if (proof.Count == 0 || proof.Any(p => p.Length != MerkleHash.Size))
        {
            return false;
        }

        var path = System.Numerics.BitOperations.IsPow2(fromSize) ? proof.Prepend(fromRoot.ToArray()).ToList() : proof;
        long fn = fromSize - 1, sn = toSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        Span<byte> fr = stackalloc byte[MerkleHash.Size];
        Span<byte> sr = stackalloc byte[MerkleHash.Size];
        path[0].CopyTo(fr);
        path[0].CopyTo(sr);
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.HashChildren(c, fr, fr);
                MerkleHash.HashChildren(c, sr, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.HashChildren(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.SequenceEqual(fromRoot) && sr.SequenceEqual(toRoot);
    }

    private static void CheckSize(IReadOnlyList<byte[]> leafHashes, long size)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, leafHashes.Count);
    }

    private static long LargestPowerOfTwoBelow(long n) => 1L << (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1)));

    private static byte[] SubtreeRoot(IReadOnlyList<byte[]> leaves, long start, long count)
    {
        if (count == 1)
        {
            return leaves[(int)start];
        }

        var k = LargestPowerOfTwoBelow(count);
        return MerkleHash.HashChildren(SubtreeRoot(leaves, start, k), SubtreeRoot(leaves, start + k, count - k));
    }

    private static void Path(IReadOnlyList<byte[]> leaves, long index, long start, long count, List<byte[]> path)
    {
        if (count == 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(count);
        if (index < k)
        {
            Path(leaves, index, start, k, path);
            path.Add(SubtreeRoot(leaves, start + k, count - k));
        }
        else
        {
            Path(leaves, index - k, start + k, count - k, path);
            path.Add(SubtreeRoot(leaves, start, k));
        }
    }

    private static void SubProof(IReadOnlyList<byte[]> leaves, long m, long start, long count, bool wholeOldTree, List<byte[]> proof)
    {
        if (m == count)
        {
            if (!wholeOldTree)
            {
                proof.Add(SubtreeRoot(leaves, start, count));
            }

            return;
        }

        var k = LargestPowerOfTwoBelow(count);
        if (m <= k)
        {
            SubProof(leaves, m, start, k, wholeOldTree, proof);
            proof.Add(SubtreeRoot(leaves, start + k, count - k));
        }
        else
        {
            SubProof(leaves, m - k, start + k, count - k, wholeOldTree: false, proof);
            proof.Add(SubtreeRoot(leaves, start, k));
        }
    }
}
