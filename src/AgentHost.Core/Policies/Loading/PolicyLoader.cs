using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using AgentHost.Core.Policies.Conditions;
using AgentHost.Core.Tools;
using AgentHost.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace AgentHost.Core.Policies.Loading;

/// <summary>
/// Reads policy YAML into a compiled <see cref="PolicySet"/>, reporting every mistake with file, line
/// and column. Function, plugin, argument and scope names are checked against the tool catalog, so a
/// typo is an error at load time and not a rule that silently never matches.
/// </summary>
public static partial class PolicyLoader
{
    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal) { "rules", "lists" };
    private static readonly HashSet<string> RuleKeys = new(StringComparer.Ordinal) { "id", "description", "match", "when", "decision", "approval" };
    private static readonly HashSet<string> MatchKeys = new(StringComparer.Ordinal) { "function", "functions", "plugin", "effect", "reach" };
    private static readonly HashSet<string> ApprovalKeys = new(StringComparer.Ordinal) { "group", "count", "timeout", "escalate_to" };
    private static readonly string[] FunctionKeys = ["function", "functions"];
    private static readonly TimeSpan DefaultApprovalTimeout = TimeSpan.FromHours(24);

    /// <summary>Loads every *.yaml and *.yml directly in <paramref name="directory"/> (not its tests/ folder).</summary>
    public static PolicyLoadResult LoadDirectory(string directory, ToolCatalog catalog, IReadOnlyDictionary<string, IReadOnlyList<string>>? hostLists = null)
    {
        if (!Directory.Exists(directory))
        {
            return new PolicyLoadResult(null, [new PolicyError(directory, 0, 0, "policy folder not found")]);
        }

        return Load(ReadDirectory(directory), catalog, hostLists);
    }

    /// <summary>The policy files directly in <paramref name="directory"/>, by path, in a stable order.</summary>
    public static List<PolicyFile> ReadDirectory(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(IsPolicyFile)
            .Order(StringComparer.Ordinal)
            .Select(f => new PolicyFile(f, File.ReadAllText(f)))
            .ToList();

    public static bool IsPolicyFile(string name) =>
        name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <param name="hostLists">
    /// Lists the host's configuration supplies (Email:InternalDomains as internal_domains). They replace a
    /// file's list of the same name: the deployment knows its own domains better than a shipped example.
    /// </param>
    public static PolicyLoadResult Load(IReadOnlyList<PolicyFile> files, ToolCatalog catalog, IReadOnlyDictionary<string, IReadOnlyList<string>>? hostLists = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new List<PolicyError>();
        if (files.Count == 0)
        {
            return new PolicyLoadResult(null, [new PolicyError("(policies)", 0, 0, "no policy files: refusing to run with no policy")]);
        }

        var documents = new List<(YamlReading Yaml, Dictionary<string, (YamlNode Key, YamlNode Value)> Top)>();
        foreach (var file in files)
        {
            var yaml = new YamlReading(file.Name, errors);
            var stream = new YamlStream();
            if (YamlText.TryLoad(stream, file.Text) is { } syntax)
            {
                errors.Add(new PolicyError(file.Name, syntax.Line, syntax.Column, $"not valid YAML: {syntax.Message}"));
                continue;
            }

            if (stream.Documents.Count == 0)
            {
                continue;
            }

            if (yaml.Mapping(stream.Documents[0].RootNode, "a policy file", TopKeys) is { } top)
            {
                documents.Add((yaml, top));
            }
        }

        var lists = ReadLists(documents);
        foreach (var (name, values) in hostLists ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            lists[name] = [.. values];
        }

        var drafts = new List<(CompiledRule Rule, IReadOnlyList<ToolDescriptor> Tools)>();
        var ids = new Dictionary<string, PolicyError>(StringComparer.Ordinal);
        foreach (var (yaml, top) in documents)
        {
            if (!top.TryGetValue("rules", out var rules))
            {
                continue;
            }

            if (rules.Value is not YamlSequenceNode sequence)
            {
                yaml.Error(rules.Value, "rules must be a list");
                continue;
            }

            foreach (var node in sequence)
            {
                if (ReadRule(yaml, node, catalog, lists, drafts.Count) is { } draft)
                {
                    if (ids.TryGetValue(draft.Rule.Id, out var first))
                    {
                        yaml.Error(node, $"duplicate rule id '{draft.Rule.Id}' (first defined at {first.File}:{first.Line}:{first.Column})");
                        continue;
                    }

                    ids[draft.Rule.Id] = new PolicyError(yaml.File, node.Start.Line, node.Start.Column, string.Empty);
                    drafts.Add(draft);
                }
            }
        }

        return errors.Count > 0 ? new PolicyLoadResult(null, errors) : new PolicyLoadResult(Compile(files, catalog, drafts, hostLists), []);
    }

    private static Dictionary<string, List<string>> ReadLists(List<(YamlReading Yaml, Dictionary<string, (YamlNode Key, YamlNode Value)> Top)> documents)
    {
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (yaml, top) in documents)
        {
            if (!top.TryGetValue("lists", out var node))
            {
                continue;
            }

            if (node.Value is not YamlMappingNode mapping)
            {
                yaml.Error(node.Value, "lists must map names to lists of values");
                continue;
            }

            foreach (var (keyNode, value) in mapping.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (lists.ContainsKey(name))
                {
                    yaml.Error(keyNode, $"list '{name}' is defined twice");
                }
                else if (yaml.ScalarList(value, $"list '{name}'") is { } values)
                {
                    lists[name] = values;
                }
            }
        }

        return lists;
    }

    private static (CompiledRule Rule, IReadOnlyList<ToolDescriptor> Tools)? ReadRule(YamlReading yaml, YamlNode node, ToolCatalog catalog, Dictionary<string, List<string>> lists, int ordinal)
    {
        var entries = yaml.Mapping(node, "a rule", RuleKeys);
        if (entries is null)
        {
            return null;
        }

        var before = ErrorCount(yaml);
        var id = entries.TryGetValue("id", out var idNode) ? yaml.Scalar(idNode.Value, "id") : null;
        if (!entries.ContainsKey("id"))
        {
            yaml.Error(node, "a rule needs an 'id'");
        }
        else if (id is not null && id.Any(char.IsWhiteSpace))
        {
            yaml.Error(idNode.Value, $"rule id '{id}' must not contain white space");
        }

        var description = entries.TryGetValue("description", out var descriptionNode) ? yaml.Scalar(descriptionNode.Value, "description") : null;
        var tools = entries.TryGetValue("match", out var match) ? ReadMatch(yaml, match.Value, catalog) : catalog.All.ToList();
        var outcome = entries.TryGetValue("decision", out var decisionNode) ? ReadOutcome(yaml, decisionNode.Value) : null;
        if (!entries.ContainsKey("decision"))
        {
            yaml.Error(node, "a rule needs a 'decision' (allow, deny or require_approval)");
        }

        ApprovalRequirement? approval = null;
        if (entries.TryGetValue("approval", out var approvalNode))
        {
            approval = outcome == PolicyOutcome.RequireApproval ? ReadApproval(yaml, approvalNode.Value) : null;
            if (outcome is not null and not PolicyOutcome.RequireApproval)
            {
                yaml.Error(approvalNode.Key, "'approval' belongs only to rules with decision require_approval");
            }
        }
        else if (outcome == PolicyOutcome.RequireApproval)
        {
            yaml.Error(node, "a require_approval rule needs 'approval' with at least a 'group'");
        }

        var conditions = new List<Condition>();
        if (entries.TryGetValue("when", out var when))
        {
            if (when.Value is not YamlSequenceNode clauses)
            {
                yaml.Error(when.Value, "when must be a list of conditions");
            }
            else
            {
                var parser = new ConditionParser(yaml, lists, catalog);
                foreach (var clause in clauses)
                {
                    if (parser.Parse(clause, tools ?? []) is { } condition)
                    {
                        conditions.Add(condition);
                    }
                }
            }
        }

        if (ErrorCount(yaml) > before || id is null || tools is null || outcome is null)
        {
            return null;
        }

        var info = new PolicyRuleInfo(id, outcome.Value, description, yaml.File, node.Start.Line, tools.Select(t => t.Name).ToList());
        return (new CompiledRule(id, ordinal, outcome.Value, approval, [.. conditions], info), tools);
    }

    private static List<ToolDescriptor>? ReadMatch(YamlReading yaml, YamlNode node, ToolCatalog catalog)
    {
        var entries = yaml.Mapping(node, "match", MatchKeys);
        if (entries is null)
        {
            return null;
        }

        IEnumerable<ToolDescriptor> tools = catalog.All;
        var ok = true;
        foreach (var key in FunctionKeys.Where(entries.ContainsKey))
        {
            var names = yaml.ScalarList(entries[key].Value, key) ?? [];
            foreach (var unknown in names.Where(n => !catalog.TryGet(n, out _)))
            {
                yaml.Error(entries[key].Value, $"unknown function '{unknown}'");
                ok = false;
            }

            tools = tools.Where(t => names.Contains(t.Name));
        }

        if (entries.TryGetValue("plugin", out var plugin))
        {
            var names = yaml.ScalarList(plugin.Value, "plugin") ?? [];
            foreach (var unknown in names.Where(n => !catalog.Plugins.Contains(n)))
            {
                yaml.Error(plugin.Value, $"unknown plugin '{unknown}' (known: {string.Join(", ", catalog.Plugins)})");
                ok = false;
            }

            tools = tools.Where(t => names.Contains(t.Plugin));
        }

        tools = Filter(yaml, entries, "effect", tools, t => t.Effect, ref ok);
        tools = Filter(yaml, entries, "reach", tools, t => t.Reach, ref ok);
        var result = tools.ToList();
        if (ok && result.Count == 0)
        {
            yaml.Error(node, "this match selects no function of the catalog");
        }

        return ok && result.Count > 0 ? result : null;
    }

    private static IEnumerable<ToolDescriptor> Filter<TEnum>(YamlReading yaml, Dictionary<string, (YamlNode Key, YamlNode Value)> entries, string key, IEnumerable<ToolDescriptor> tools, Func<ToolDescriptor, TEnum> property, ref bool ok)
        where TEnum : struct, Enum
    {
        if (!entries.TryGetValue(key, out var node))
        {
            return tools;
        }

        var wanted = new List<TEnum>();
        foreach (var text in yaml.ScalarList(node.Value, key) ?? [])
        {
            if (Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && text.All(char.IsAsciiLetterLower))
            {
                wanted.Add(value);
            }
            else
            {
                yaml.Error(node.Value, $"unknown {key} '{text}' (known: {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))})");
                ok = false;
            }
        }

        return tools.Where(t => wanted.Contains(property(t)));
    }

    private static PolicyOutcome? ReadOutcome(YamlReading yaml, YamlNode node)
    {
        switch ((node as YamlScalarNode)?.Value)
        {
            case "allow": return PolicyOutcome.Allow;
            case "deny": return PolicyOutcome.Deny;
            case "require_approval": return PolicyOutcome.RequireApproval;
            default:
                yaml.Error(node, "decision must be allow, deny or require_approval");
                return null;
        }
    }

    private static ApprovalRequirement? ReadApproval(YamlReading yaml, YamlNode node)
    {
        var entries = yaml.Mapping(node, "approval", ApprovalKeys);
        if (entries is null)
        {
            return null;
        }

        var group = entries.TryGetValue("group", out var groupNode) ? yaml.Scalar(groupNode.Value, "group") : null;
        if (group is null && !entries.ContainsKey("group"))
        {
            yaml.Error(node, "approval needs a 'group' of approvers");
        }

        var count = 1;
        if (entries.TryGetValue("count", out var countNode)
            && (!int.TryParse((countNode.Value as YamlScalarNode)?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count is < 1 or > 10))
        {
            yaml.Error(countNode.Value, "count must be a whole number from 1 to 10");
            return null;
        }

        var timeout = DefaultApprovalTimeout;
        if (entries.TryGetValue("timeout", out var timeoutNode))
        {
            if ((timeoutNode.Value as YamlScalarNode)?.Value is not { } text || DurationText.Parse(text) is not { } parsed)
            {
                yaml.Error(timeoutNode.Value, "timeout must be a duration such as 30m, 4h or 2d");
                return null;
            }

            timeout = parsed;
        }

        string? escalateTo = null;
        if (entries.TryGetValue("escalate_to", out var escalateNode))
        {
            // A fallback that is the group itself would hand the request back to the people who let it expire.
            escalateTo = yaml.Scalar(escalateNode.Value, "escalate_to");
            if (escalateTo is null)
            {
                return null;
            }

            if (!GroupName().IsMatch(escalateTo))
            {
                yaml.Error(escalateNode.Value, $"escalate_to '{escalateTo}' is not a group name (letters, digits, '-' and '_')");
                return null;
            }

            if (string.Equals(escalateTo, group, StringComparison.Ordinal))
            {
                yaml.Error(escalateNode.Value, $"escalate_to must name another group than '{group}', which already had its chance");
                return null;
            }
        }

        return group is null ? null : new ApprovalRequirement(group, count, timeout, escalateTo);
    }

    private static PolicySet Compile(IReadOnlyList<PolicyFile> files, ToolCatalog catalog, List<(CompiledRule Rule, IReadOnlyList<ToolDescriptor> Tools)> drafts, IReadOnlyDictionary<string, IReadOnlyList<string>>? hostLists)
    {
        var hash = Hash(files, hostLists);
        foreach (var (rule, _) in drafts)
        {
            var verb = rule.Outcome switch
            {
                PolicyOutcome.Allow => "allowed",
                PolicyOutcome.Deny => "denied",
                _ => $"needs approval by {rule.Approval!.Count} of {rule.Approval.Group}",
            };
            rule.Decision = new PolicyDecision(rule.Outcome, [rule.Id], rule.Approval is null ? [] : [rule.Approval], hash, $"{verb} by rule '{rule.Id}'{(rule.Info.Description is { } d ? ": " + d : string.Empty)}");
        }

        var byFunction = catalog.All.ToFrozenDictionary(
            tool => tool.Name,
            tool => Index(tool, drafts.Where(d => d.Tools.Contains(tool)).Select(d => d.Rule)),
            StringComparer.Ordinal);
        return new PolicySet(hash, catalog, drafts.Select(d => d.Rule.Info).ToList(), files.Select(f => f.Name).ToList(), byFunction);
    }

    private static FunctionRules Index(ToolDescriptor tool, IEnumerable<CompiledRule> rules)
    {
        var unindexed = new List<CompiledRule>();
        var indexed = new Dictionary<string, Dictionary<string, List<CompiledRule>>>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var key = rule.Conditions.OfType<ArgumentCondition>().FirstOrDefault(c =>
                !c.Negated && c.Arguments.Length == 1 && c.Test is SetTest { Scopes.Length: 0, Kind: not ArgumentKind.Sha } && tool.Arguments.Contains(c.Arguments[0]));
            if (key is null)
            {
                unindexed.Add(rule);
                continue;
            }

            var argument = key.Arguments[0];
            var byValue = indexed.TryGetValue(argument, out var existing) ? existing : indexed[argument] = new(ValueNormalization.Comparer(tool.KindOf(argument)));
            foreach (var value in ((SetTest)key.Test).Values)
            {
                (byValue.TryGetValue(value, out var list) ? list : byValue[value] = []).Add(rule);
            }
        }

        return new FunctionRules(
            [.. unindexed],
            indexed.Select(i => new FunctionRules.ValueIndex(i.Key, i.Value.ToFrozenDictionary(v => v.Key, v => v.Value.ToArray(), i.Value.Comparer))).ToArray());
    }

    private static string Hash(IReadOnlyList<PolicyFile> files, IReadOnlyDictionary<string, IReadOnlyList<string>>? hostLists)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, values) in (hostLists ?? new Dictionary<string, IReadOnlyList<string>>()).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            // The configured lists change decisions, so they are part of what the hash identifies.
            hash.AppendData(Encoding.UTF8.GetBytes($"list:{name}={string.Join(',', values)}"));
            hash.AppendData([0]);
        }

        foreach (var file in files.OrderBy(f => Path.GetFileName(f.Name), StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file.Name)));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(file.Text));
            hash.AppendData([0]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static int ErrorCount(YamlReading yaml) => yaml.ErrorCount;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")]
    private static partial System.Text.RegularExpressions.Regex GroupName();
}
