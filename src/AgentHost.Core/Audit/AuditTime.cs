using System.Globalization;

namespace AgentHost.Core.Audit;

/// <summary>Audit time is whole microseconds since the Unix epoch, UTC: exact to store, hash and compare.</summary>
public static class AuditTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicroseconds(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    public static string ToText(long micros) => FromMicroseconds(micros).UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out long micros)
    {
        if (DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            micros = ToMicroseconds(time);
            return true;
        }

        micros = 0;
        return false;
    }
}
