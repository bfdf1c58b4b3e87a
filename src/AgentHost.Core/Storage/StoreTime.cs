using System.Globalization;

namespace AgentHost.Core.Storage;

/// <summary>
/// The store's time converter: every stored moment is whole microseconds since the Unix epoch, UTC, in a
/// BIGINT column, exact to store, hash (the audit trail's canonical form) and compare on both providers.
/// </summary>
public static class StoreTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static long? ToMicroseconds(DateTimeOffset? time) => time is { } t ? ToMicroseconds(t) : null;

    public static DateTimeOffset FromMicroseconds(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    public static DateTimeOffset? FromMicroseconds(long? micros) => micros is { } m ? FromMicroseconds(m) : null;

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
