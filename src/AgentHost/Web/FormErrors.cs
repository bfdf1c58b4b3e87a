namespace AgentHost.Web;

/// <summary>Errors keyed by API field path (name, tools[2], triggers.schedules[0].cron), picked out per form field.</summary>
public static class FormErrors
{
    /// <summary>The messages of this field and of its elements and members (key, key[i], key.member).</summary>
    public static IReadOnlyList<string> For(IReadOnlyDictionary<string, string[]> errors, string key)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return [.. errors
            .Where(e => e.Key == key || e.Key.StartsWith(key + "[", StringComparison.Ordinal) || e.Key.StartsWith(key + ".", StringComparison.Ordinal))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .SelectMany(e => e.Value.Select(m => e.Key == key ? m : $"{e.Key}: {m}"))];
    }
}
