using System.Security.Cryptography;

namespace AgentHost.Core.Audit.Merkle;

/// <summary>RFC 6962 section 2.1 hashing: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right).</summary>
public static class MerkleHash
{
    public const int Size = 32;

    // Leaf data of up to this size is prefixed on the stack; larger data goes through an incremental hash
    // rather than being copied.
    private const int StackPrefixLimit = 1024;

    [ThreadStatic]
    private static IncrementalHash? _incremental;

    /// <summary>SHA-256 of the empty string: the root of a tree with no leaves.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        HashLeaf(data, hash);
        return hash;
    }

    /// <summary>Allocation-free form for hot paths; destination must be 32 bytes.</summary>
    public static void HashLeaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (data.Length < StackPrefixLimit)
        {
            Span<byte> buffer = stackalloc byte[data.Length + 1];
            buffer[0] = 0x00;
            data.CopyTo(buffer[1..]);
            SHA256.HashData(buffer, destination);
            return;
        }

        var hash = _incremental ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(data);
        hash.GetHashAndReset(destination);
    }

    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        HashChildren(left, right, hash);
        return hash;
    }

    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + Size + Size];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        SHA256.HashData(buffer, destination);
    }
}
