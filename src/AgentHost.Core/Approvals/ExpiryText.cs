using System.Globalization;

namespace AgentHost.Core.Approvals;

/// <summary>
/// A deadline in words, the same in Slack and on the web: relative ("expires in 3 h") for the person in a
/// hurry and absolute with its time zone ("2026-12-05 15:00 UTC") for the one who plans.
/// </summary>
public static class ExpiryText
{
    /// <summary>"expires in 3 h", "expires in 45 min", "expires in 24 h", "expires in 2 d 4 h", "expired 10 min ago".</summary>
    public static string Relative(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        // Rounded up while it runs: a 3-hour window read a moment after it opened still "expires in 3 h".
        var left = expiresAt - now;
        return left > TimeSpan.Zero
            ? $"expires in {Span(TimeSpan.FromMinutes(Math.Ceiling(left.TotalMinutes)))}"
            : $"expired {Span(-left)} ago";
    }

    /// <summary>"2026-12-05 15:00 UTC": the host keeps and shows times in UTC, and says so.</summary>
    public static string Absolute(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    // In the units a person thinks in; under a minute is "less than a minute".
    private static string Span(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } => "less than a minute",
        { TotalHours: < 1 } => $"{(int)span.TotalMinutes} min",
        { TotalHours: < 48 } => span.Minutes == 0 || span.TotalHours >= 10 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min",
        _ => span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h",
    };
}
