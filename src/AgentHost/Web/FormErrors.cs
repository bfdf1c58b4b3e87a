namespace AgentHost.Web;

/// <summary>Errors keyed by API field path (name, tools[2], triggers.schedules[0].cron), picked out per form field.</summary>
public static class FormErrors
{
    /// <summary>The messages of this field and of its elements and members (key, key[i], key.member).</summary>
    public static IReadOnlyList<string> For(IReadOnlyDictionary<string, string[]> errors, string key)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return [.. errors
            .Where(e => Within(e.Key, key))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .SelectMany(e => e.Value.Select(m => e.Key == key ? m : $"{e.Key}: {m}"))];
    }

    /// <summary>
    /// Puts each error next to exactly one field: the most specific of <paramref name="fields"/> it belongs to
    /// (triggers.schedules[0].cron beside the first cron, not again beside the schedules heading), so every
    /// problem is said once. The messages name their field in words; paths never reach the page.
    /// Errors no field shows are returned under the empty key, for the summary at the top.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Place(IReadOnlyDictionary<string, string[]> errors, IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(fields);
        var known = fields.ToList();
        var placed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, messages) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var field = known.Where(f => Within(key, f)).MaxBy(f => f.Length) ?? string.Empty;
            var list = placed.TryGetValue(field, out var existing) ? existing : placed[field] = [];
            list.AddRange(messages.Where(m => !list.Contains(m, StringComparer.Ordinal)));
        }

        return placed.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    private static bool Within(string key, string field) =>
        key == field || key.StartsWith(field + "[", StringComparison.Ordinal) || key.StartsWith(field + ".", StringComparison.Ordinal);
}
