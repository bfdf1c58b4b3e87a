using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Plugins.Slack.Signing;

/// <summary>
/// Slack's request signing, version v0: HMAC-SHA256 with the signing secret over "v0:{timestamp}:{body}",
/// compared in constant time, and refused when the timestamp is older than the allowed age (replays).
/// </summary>
public static class SlackSignature
{
    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signingSecret);
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), message));
    }

    /// <summary>Null when the request is genuine and fresh; otherwise why it is refused (for the audit trail, not the caller).</summary>
    public static string? Check(string? signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan maxAge)
    {
        if (string.IsNullOrEmpty(signingSecret))
        {
            return "no signing secret configured";
        }

        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return "missing signature headers";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "malformed timestamp";
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))).Duration() > maxAge)
        {
            return "stale timestamp";
        }

        var expected = Encoding.ASCII.GetBytes(Compute(signingSecret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "bad signature";
    }
}
