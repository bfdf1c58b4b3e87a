using AgentHost.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace AgentHost.Core.Employees;

/// <summary>
/// Reads the user directory YAML (employees and groups). Every mistake is reported with its line and
/// column, and all of them at once, so an operator fixes the file in one pass.
/// </summary>
public static class DirectoryFileLoader
{
    private static readonly HashSet<string> EmployeeKeys = new(StringComparer.Ordinal) { "email", "name", "slackUserId", "github", "manager", "roles" };

    public static DirectoryLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return Failed(path, 0, 0, "directory file not found");
        }

        return Parse(path, File.ReadAllText(path));
    }

    public static DirectoryLoadResult Parse(string file, string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        if (YamlText.TryLoad(stream, yaml) is { } syntax)
        {
            return Failed(file, syntax.Line, syntax.Column, syntax.Message);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return Failed(file, 1, 1, "expected a mapping with 'employees' and 'groups'");
        }

        var errors = new List<DirectoryError>();
        var drafts = new List<(YamlNode Node, string Email, string Name, string? Slack, string? GitHub, string? Manager, HashSet<string> Roles)>();
        var entitlements = new Dictionary<string, (YamlNode Node, ScopeEntitlement Entitlement)>(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<(YamlNode Node, string Email)>>(StringComparer.Ordinal);

        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            switch (key)
            {
                case "employees" when value is YamlSequenceNode seq:
                    foreach (var item in seq)
                    {
                        ReadEmployee(file, item, errors, drafts);
                    }

                    break;
                case "groups" when value is YamlMappingNode map:
                    foreach (var (groupKey, members) in map.Children)
                    {
                        var name = ((YamlScalarNode)groupKey).Value ?? string.Empty;
                        groups[name] = members is YamlSequenceNode memberSeq
                            ? memberSeq.Select(m => (m, (m as YamlScalarNode)?.Value ?? string.Empty)).ToList()
                            : [];
                        if (members is not YamlSequenceNode)
                        {
                            errors.Add(At(file, members, $"group '{name}' must be a list of employee emails"));
                        }
                    }

                    break;
                case "entitlements" when value is YamlMappingNode map:
                    foreach (var (groupKey, grant) in map.Children)
                    {
                        var name = ((YamlScalarNode)groupKey).Value ?? string.Empty;
                        entitlements[name] = (groupKey, EntitlementReader.Read(file, name, grant, errors));
                    }

                    break;
                case "employees" or "groups" or "entitlements":
                    errors.Add(At(file, value, $"'{key}' has the wrong shape"));
                    break;
                default:
                    errors.Add(At(file, keyNode, $"unknown key '{key}'"));
                    break;
            }
        }

        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var draft in drafts)
        {
            if (!emails.Add(draft.Email))
            {
                errors.Add(At(file, draft.Node, $"duplicate employee '{draft.Email}'"));
            }
        }

        foreach (var draft in drafts.Where(d => d.Manager is not null && !emails.Contains(d.Manager)))
        {
            errors.Add(At(file, draft.Node, $"manager '{draft.Manager}' of '{draft.Email}' is not in the directory"));
        }

        foreach (var (group, members) in groups)
        {
            foreach (var (node, email) in members.Where(m => !emails.Contains(m.Email)))
            {
                errors.Add(At(file, node, $"member '{email}' of group '{group}' is not in the directory"));
            }
        }

        foreach (var (group, (node, _)) in entitlements.Where(e => !groups.ContainsKey(e.Key)))
        {
            errors.Add(At(file, node, $"entitlements name group '{group}', which is not in 'groups'"));
        }

        if (errors.Count > 0)
        {
            return new DirectoryLoadResult(null, errors);
        }

        var employees = drafts.Select(d => new Employee(
            d.Email,
            d.Name,
            d.Slack,
            d.Manager,
            d.Roles,
            groups.Where(g => g.Value.Any(m => string.Equals(m.Email, d.Email, StringComparison.OrdinalIgnoreCase)))
                .Select(g => g.Key)
                .ToHashSet(StringComparer.Ordinal))
        {
            GitHubLogin = d.GitHub,
        });
        return new DirectoryLoadResult(new EmployeeDirectory(employees, entitlements.ToDictionary(e => e.Key, e => e.Value.Entitlement, StringComparer.Ordinal)), []);
    }

    private static void ReadEmployee(
        string file,
        YamlNode item,
        List<DirectoryError> errors,
        List<(YamlNode, string, string, string?, string?, string?, HashSet<string>)> drafts)
    {
        if (item is not YamlMappingNode map)
        {
            errors.Add(At(file, item, "an employee must be a mapping"));
            return;
        }

        string? email = null, name = null, slack = null, github = null, manager = null;
        var roles = new HashSet<string>(StringComparer.Ordinal) { Roles.Employee };
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (!EmployeeKeys.Contains(key))
            {
                errors.Add(At(file, keyNode, $"unknown key '{key}'"));
                continue;
            }

            if (key == "roles")
            {
                foreach (var role in value is YamlSequenceNode seq ? seq.Children : [value])
                {
                    var roleName = (role as YamlScalarNode)?.Value ?? string.Empty;
                    if (!Roles.All.Contains(roleName))
                    {
                        errors.Add(At(file, role, $"unknown role '{roleName}' (known: {string.Join(", ", Roles.All)})"));
                    }

                    roles.Add(roleName);
                }

                continue;
            }

            var text = (value as YamlScalarNode)?.Value;
            switch (key)
            {
                case "email": email = text; break;
                case "name": name = text; break;
                case "slackUserId": slack = text; break;
                case "github": github = string.IsNullOrWhiteSpace(text) ? null : text.Trim(); break;
                case "manager": manager = text; break;
            }
        }

        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add(At(file, item, "an employee needs an 'email' address"));
            return;
        }

        drafts.Add((item, email, name ?? email, slack, github, manager, roles));
    }

    internal static DirectoryError At(string file, YamlNode node, string message) =>
        new(file, node.Start.Line, node.Start.Column, message);

    private static DirectoryLoadResult Failed(string file, long line, long column, string message) =>
        new(null, [new DirectoryError(file, line, column, message)]);
}
