namespace AgentHost.Hosting;

/// <summary>
/// Minimal-API validation names an error after the C# member ("Limit", "Agent.Owner"); the API's fields are
/// camelCase JSON names, and problem details must name the field the caller sent. Keys written by hand
/// already start in lower case and are left alone (an argument name such as "arguments.To" is the caller's).
/// </summary>
public static class ValidationKeys
{
    public static void CamelCase(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (problem is not HttpValidationProblemDetails validation || !validation.Errors.Keys.Any(StartsUpper))
        {
            return;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, messages) in validation.Errors)
        {
            var name = StartsUpper(key) ? Key(key) : key;
            errors[name] = errors.TryGetValue(name, out var earlier) ? [.. earlier, .. messages] : messages;
        }

        validation.Errors = errors;
    }

    private static bool StartsUpper(string key) => key.Length > 0 && char.IsUpper(key[0]);

    private static string Key(string key) =>
        string.Join('.', key.Split('.').Select(segment => segment.Length > 0 && char.IsUpper(segment[0]) ? char.ToLowerInvariant(segment[0]) + segment[1..] : segment));
}
