using System.Text.RegularExpressions;

namespace AgentHost.Plugins.Mcp;

/// <summary>
/// Catalog names of a server's tools. Kernel names allow only letters, digits and '_', and a catalog name
/// never holds "__", so a tool name is mapped: '-' and '.' become '_', runs of '_' become one, and '_' at
/// either end is dropped. A name with any other character, one that maps to nothing, or two names that
/// map to the same one are rejected: such tools are listed as rejected and never reach the catalog.
/// </summary>
public static partial class McpToolNames
{
    public static IReadOnlyDictionary<string, string?> Map(string server, IEnumerable<string> toolNames)
    {
        ArgumentNullException.ThrowIfNull(toolNames);
        var mapped = toolNames.Distinct(StringComparer.Ordinal).ToDictionary(n => n, n => Fit(n) is { } fit ? $"mcp.{server}.{fit}" : null, StringComparer.Ordinal);
        var taken = mapped.Values.OfType<string>().GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return mapped.ToDictionary(p => p.Key, p => p.Value is { } name && !taken.Contains(name) ? name : null, StringComparer.Ordinal);
    }

    private static string? Fit(string name)
    {
        if (name.Length is 0 or > 64 || !Allowed().IsMatch(name))
        {
            return null;
        }

        var fit = Underscores().Replace(name.Replace('-', '_').Replace('.', '_'), "_").Trim('_');
        return fit.Length == 0 ? null : fit;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();

    [GeneratedRegex("_{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Underscores();
}
