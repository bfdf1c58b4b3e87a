using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Core.Audit.Checkpoints;

/// <summary>
/// The C2SP tlog-checkpoint body (origin, size, base64 root) with a "timestamp &lt;unix ms&gt;" extension
/// line, signed as a C2SP signed note: a blank line, then "— &lt;key name&gt; base64(key id || signature)".
/// </summary>
internal static class CheckpointNote
{
    public const string SignaturePrefix = "\u2014 ";

    // Signature type byte inside the key id hash; C2SP leaves ECDSA P-256 to the log operator to name.
    private const byte EcdsaP256SignatureType = 0x02;

    public static string Body(Checkpoint checkpoint) => string.Create(
        CultureInfo.InvariantCulture,
        $"{checkpoint.Origin}\n{checkpoint.TreeSize}\n{Convert.ToBase64String(checkpoint.RootHash)}\ntimestamp {checkpoint.Timestamp.ToUnixTimeMilliseconds()}\n");

    public static byte[] KeyId(string keyName, byte[] subjectPublicKeyInfo)
    {
        var input = new byte[Encoding.UTF8.GetByteCount(keyName) + 2 + subjectPublicKeyInfo.Length];
        var written = Encoding.UTF8.GetBytes(keyName, input);
        input[written] = 0x0A;
        input[written + 1] = EcdsaP256SignatureType;
        subjectPublicKeyInfo.CopyTo(input, written + 2);
        return SHA256.HashData(input)[..4];
    }

    /// <summary>Strict parse: anything but the exact shape is refused, with the reason.</summary>
    public static bool TryParseBody(string body, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Checkpoint? checkpoint, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        checkpoint = null;
        var lines = body.Split('\n');
        if (lines.Length != 5 || lines[4].Length != 0)
        {
            error = "checkpoint body must have origin, size, root and timestamp lines";
            return false;
        }

        if (lines[0].Length == 0 || lines[0] != lines[0].Trim())
        {
            error = "checkpoint origin is empty or padded";
            return false;
        }

        if (!IsCanonicalNumber(lines[1]) || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            error = "checkpoint tree size is not a canonical decimal number";
            return false;
        }

        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            error = "checkpoint root is not base64";
            return false;
        }

        if (root.Length != 32 || Convert.ToBase64String(root) != lines[2])
        {
            error = "checkpoint root is not 32 bytes of canonical base64";
            return false;
        }

        const string timestampPrefix = "timestamp ";
        if (!lines[3].StartsWith(timestampPrefix, StringComparison.Ordinal)
            || !IsCanonicalNumber(lines[3][timestampPrefix.Length..])
            || !long.TryParse(lines[3][timestampPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var millis)
            || millis > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            error = "checkpoint timestamp line is malformed";
            return false;
        }

        checkpoint = new Checkpoint(lines[0], size, root, DateTimeOffset.FromUnixTimeMilliseconds(millis));
        error = null;
        return true;
    }

    private static bool IsCanonicalNumber(string text) =>
        text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0');
}
