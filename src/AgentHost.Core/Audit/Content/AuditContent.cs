using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentHost.Core.Audit.Content;

/// <summary>
/// One piece of conversation content as the trail keeps it: the UTF-8 text (cut at the size cap with a
/// marker saying so), named by the SHA-256 of exactly those bytes and stored compressed. An audit event
/// commits to it by carrying <see cref="Reference"/> in its data, so the leaf hash, and every proof over
/// it, covers the content.
/// </summary>
public sealed record AuditContent(string Sha256, AuditContentKind Kind, long Bytes, long OriginalBytes, byte[] Body)
{
    /// <summary>The member of event data that names content; verification looks for it.</summary>
    public const string HashMember = "contentSha256";

    public bool Capped => OriginalBytes > Bytes;

    public static AuditContent Create(AuditContentKind kind, string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1024);
        var bytes = Encoding.UTF8.GetBytes(text);
        var original = bytes.LongLength;
        if (bytes.Length > maxBytes)
        {
            var marker = Encoding.UTF8.GetBytes($"\n[capped by AgentHost: {maxBytes} of {original} bytes kept]");
            var keep = Utf8Boundary(bytes, maxBytes - marker.Length);
            bytes = [.. bytes.AsSpan(0, keep), .. marker];
        }

        return new AuditContent(Convert.ToHexStringLower(SHA256.HashData(bytes)), kind, bytes.LongLength, original, Compress(bytes));
    }

    /// <summary>What an event's data carries to commit to this content.</summary>
    public JsonObject Reference()
    {
        var reference = new JsonObject { [HashMember] = Sha256, ["bytes"] = Bytes };
        if (Capped)
        {
            reference["originalBytes"] = OriginalBytes;
        }

        return reference;
    }

    public static byte[] Compress(ReadOnlySpan<byte> bytes)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
        if (!BrotliEncoder.TryCompress(bytes, buffer, out var written, quality: 4, window: 22))
        {
            throw new InvalidOperationException("Brotli refused a buffer of its own maximum size");
        }

        return buffer[..written];
    }

    /// <summary>The stored text; a body that inflates beyond <paramref name="limit"/> bytes is refused, not read.</summary>
    public static byte[] Decompress(byte[] body, long limit)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var input = new MemoryStream(body);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = brotli.Read(chunk)) > 0)
        {
            if (output.Length + read > limit)
            {
                throw new InvalidDataException($"the body inflates beyond its {limit} bytes");
            }

            output.Write(chunk, 0, read);
        }

        return output.ToArray();
    }

    /// <summary>The longest prefix of at most <paramref name="limit"/> bytes that does not split a character.</summary>
    private static int Utf8Boundary(byte[] bytes, int limit)
    {
        var end = Math.Max(0, limit);
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return end;
    }
}
