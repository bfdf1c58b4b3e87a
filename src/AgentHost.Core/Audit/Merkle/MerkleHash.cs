namespace AgentHost.Core.Audit.Merkle;

/// <summary>RFC 6962 section 2.1 hashing: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right).</summary>
public static class MerkleHash
{
    public const int Size = 32;

    /// <summary>SHA-256 of the empty string: the root of a tree with no leaves.</summary>
    public static byte[] EmptyRoot() => throw new NotImplementedException();

    public static byte[] HashLeaf(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>Allocation-free form for hot paths; destination must be 32 bytes.</summary>
    public static void HashLeaf(ReadOnlySpan<byte> data, Span<byte> destination) => throw new NotImplementedException();

    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => throw new NotImplementedException();

    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination) => throw new NotImplementedException();
}
