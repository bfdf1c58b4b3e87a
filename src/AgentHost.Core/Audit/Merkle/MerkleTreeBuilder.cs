namespace AgentHost.Core.Audit.Merkle;

/// <summary>
/// Incremental RFC 6962 tree head over appended leaf hashes, keeping only O(log n) subtree roots
/// (a "compact range"), so the live log and the verifier never hold every leaf to know the root.
/// </summary>
public sealed class MerkleTreeBuilder
{
    // Level i holds the root of a perfect subtree of 2^i leaves when bit i of Size is set.
    private readonly byte[][] _levels = new byte[64][];
    private long _size;

    public long Size => _size;

    /// <summary>Appends a leaf hash (already SHA-256(0x00 || data)).</summary>
    public void Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("a leaf hash is 32 bytes", nameof(leafHash));
        }

        Span<byte> carry = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(carry);
        var level = 0;
        for (var size = _size; (size & 1) == 1; size >>= 1, level++)
        {
            MerkleHash.HashChildren(_levels[level], carry, carry);
        }

        carry.CopyTo(_levels[level] ??= new byte[MerkleHash.Size]);
        _size++;
    }

    /// <summary>The root of the tree of the leaves appended so far (RFC 6962 MTH).</summary>
    public byte[] Root()
    {
        var root = new byte[MerkleHash.Size];
        Root(root);
        return root;
    }

    /// <summary>Allocation-free root; destination must be 32 bytes.</summary>
    public void Root(Span<byte> destination)
    {
        if (_size == 0)
        {
            MerkleHash.EmptyRoot().CopyTo(destination);
            return;
        }

        // Fold the perfect subtrees from the smallest (rightmost) to the largest (leftmost).
        var level = System.Numerics.BitOperations.TrailingZeroCount(_size);
        _levels[level].CopyTo(destination);
        for (level++; level < 64; level++)
        {
            if (((_size >> level) & 1) == 1)
            {
                MerkleHash.HashChildren(_levels[level], destination, destination);
            }
        }
    }
}
