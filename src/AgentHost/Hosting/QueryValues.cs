using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace AgentHost.Hosting;

/// <summary>
/// Query parameters arrive as text and are declared as text on the query records, so a value that does not
/// parse is a validation error naming its field (RFC 9457), not a bare 400 from binding. The attributes
/// say what the text must be; the readers turn valid text into the value. An empty value is no value.
/// </summary>
public static class QueryValues
{
    public static long? Number(string? text) =>
        string.IsNullOrEmpty(text) ? null : long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    public static DateTimeOffset? Time(string? text) =>
        string.IsNullOrEmpty(text) ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string? Text(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

/// <summary>A whole number from min to max, written without sign or spaces.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WholeNumberAttribute(long min = 0, long max = long.MaxValue) : ValidationAttribute($"must be a whole number from {min} to {max}")
{
    public long Min => min;

    public long Max => max;

    public override bool IsValid(object? value) =>
        value is null or ""
        || (value is string { Length: <= 20 } text
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number >= min && number <= max);
}

/// <summary>An ISO 8601 date and time; without an offset it is UTC.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class IsoTimeAttribute() : ValidationAttribute("must be an ISO 8601 date and time, e.g. 2026-11-24T12:00:00Z")
{
    public override bool IsValid(object? value) =>
        value is null or ""
        || (value is string { Length: <= 40 } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
}
