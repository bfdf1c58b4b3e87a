using YamlDotNet.RepresentationModel;

namespace AgentHost.Core.Employees;

/// <summary>Reads one group's entry of the directory's <c>entitlements:</c> section, reporting every mistake with its place.</summary>
internal static class EntitlementReader
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "mailFolders", "recipientDomains", "slackChannels", "githubRepos" };

    public static ScopeEntitlement Read(string file, string group, YamlNode node, List<DirectoryError> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(DirectoryFileLoader.At(file, node, $"entitlements of '{group}' must be a mapping of {string.Join(", ", Keys)}"));
            return ScopeEntitlement.None;
        }

        var lists = Keys.ToDictionary(k => k, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (!lists.TryGetValue(key, out var list))
            {
                errors.Add(DirectoryFileLoader.At(file, keyNode, $"unknown key '{key}' (known: {string.Join(", ", Keys)})"));
                continue;
            }

            if (value is not YamlSequenceNode seq)
            {
                errors.Add(DirectoryFileLoader.At(file, value, $"'{key}' of '{group}' must be a list"));
                continue;
            }

            foreach (var item in seq)
            {
                var text = (item as YamlScalarNode)?.Value?.Trim();
                if (string.IsNullOrEmpty(text) || text.Contains('*', StringComparison.Ordinal))
                {
                    errors.Add(DirectoryFileLoader.At(file, item, $"'{key}' of '{group}' takes exact values, no wildcards"));
                    continue;
                }

                list.Add(text);
            }
        }

        return new ScopeEntitlement(lists["mailFolders"], lists["recipientDomains"], lists["slackChannels"], lists["githubRepos"]);
    }
}
