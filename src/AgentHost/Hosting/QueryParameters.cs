using System.Globalization;

namespace AgentHost.Hosting;

/// <summary>
/// Reads query parameters and collects a message per bad field, so a caller gets one 400 naming every
/// mistake (RFC 9457 validation problem) instead of a generic binding failure.
/// </summary>
public sealed class QueryParameters(IQueryCollection query)
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public IResult Problem() => Results.ValidationProblem(_errors);

    public string? Text(string name, int maxLength = 256)
    {
        var value = query[name].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            _errors[name] = [$"at most {maxLength} characters"];
            return null;
        }

        return value;
    }

    public long? Number(string name, long min = 0, long max = long.MaxValue)
    {
        var text = Text(name, 20);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            _errors[name] = [$"must be a whole number from {min} to {max}"];
            return null;
        }

        return value;
    }

    public DateTimeOffset? Time(string name)
    {
        var text = Text(name, 40);
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            _errors[name] = ["must be an ISO 8601 date and time, e.g. 2026-11-24T12:00:00Z"];
            return null;
        }

        return value;
    }

    public void Require(string name, object? value)
    {
        if (value is null && !_errors.ContainsKey(name))
        {
            _errors[name] = ["is required"];
        }
    }

    public void Fail(string name, string message) => _errors[name] = [message];
}
