using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Audit.Siem;

/// <summary>
/// The webhook's signature header, <c>X-AgentHost-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where
/// hex is HMAC-SHA256(secret, "v1:" + t + ":" + body) in lower case. A receiver recomputes it over the raw
/// body, compares in constant time and refuses a t too far from its clock (replays). docs/siem.md shows it.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-AgentHost-Signature";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Convert.ToHexStringLower(Mac(secret, unixSeconds, body))}");
    }

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> and its time is within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (header is null)
        {
            return false;
        }

        long? t = null;
        byte[]? v1 = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Trim();
            if (pair.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(pair.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                t = seconds;
            }
            else if (pair.StartsWith("v1=", StringComparison.Ordinal) && pair.Length == 3 + 64)
            {
                try
                {
                    v1 = Convert.FromHexString(pair.AsSpan(3));
                }
                catch (FormatException)
                {
                    return false;
                }
            }
        }

        return t is { } time && v1 is not null
            && Math.Abs(now.ToUnixTimeSeconds() - time) <= tolerance.TotalSeconds
            && CryptographicOperations.FixedTimeEquals(v1, Mac(secret, time, body));
    }

    private static byte[] Mac(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1:{unixSeconds}:")));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
