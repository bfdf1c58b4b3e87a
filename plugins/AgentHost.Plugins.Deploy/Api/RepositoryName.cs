using System.Text.RegularExpressions;

namespace AgentHost.Plugins.Deploy.Api;

/// <summary>A repository as "owner/name", checked against GitHub's naming rules before any request is made.</summary>
public sealed partial record RepositoryName(string Owner, string Name)
{
    public static RepositoryName Parse(string? value)
    {
        var match = value is null ? Match.Empty : Pattern().Match(value);
        if (!match.Success || match.Groups["name"].Value is "." or "..")
        {
            throw new ArgumentException($"repo: expected \"owner/name\" (letters, digits, '-', '.', '_'), got \"{value}\"");
        }

        return new RepositoryName(match.Groups["owner"].Value, match.Groups["name"].Value);
    }

    public override string ToString() => $"{Owner}/{Name}";

    // GitHub: owners are up to 39 alphanumerics or single hyphens, not starting with one; names up to 100 of [A-Za-z0-9._-].
    [GeneratedRegex(@"^(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?<name>[A-Za-z0-9._-]{1,100})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
