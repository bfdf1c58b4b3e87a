using System.Globalization;

namespace AgentHost.Usage;

/// <summary>
/// The whole UTC days a usage report covers, [From, To): by default the 30 days up to and including
/// today. Read the same way by the usage page and GET /api/usage.
/// </summary>
public sealed record UsagePeriod(DateTime From, DateTime To)
{
    public const int DefaultDays = 30;
    public const string DayFormat = "yyyy-MM-dd";

    /// <summary>
    /// The period asked for; a day that does not parse is an error under its field and falls back to its
    /// default, and so is an end not after the start.
    /// </summary>
    public static UsagePeriod Read(string? from, string? to, DateTime today, string fromField, string toField, IDictionary<string, string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var end = Day(to, toField, errors) ?? today.AddDays(1);
        var start = Day(from, fromField, errors) ?? end.AddDays(-DefaultDays);
        if (start >= end)
        {
            errors[toField] = $"must be after {fromField}";
        }

        return new UsagePeriod(start, end);
    }

    public DateTimeOffset Start => new(From, TimeSpan.Zero);

    public DateTimeOffset End => new(To, TimeSpan.Zero);

    public static string Format(DateTime day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    private static DateTime? Day(string? text, string field, IDictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTime.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            return day;
        }

        errors[field] = $"must be a date, {DayFormat}";
        return null;
    }
}
