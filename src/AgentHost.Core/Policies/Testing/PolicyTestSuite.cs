using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace AgentHost.Core.Policies.Testing;

/// <summary>
/// Reads policies/tests/*.yaml: cases of a hypothetical call and the expected decision. A case that
/// cannot be read is reported as an error with its location, never skipped.
/// </summary>
public static class PolicyTestSuite
{
    private static readonly HashSet<string> CaseKeys = new(StringComparer.Ordinal) { "name", "call", "agent", "requester", "tainted", "expect" };
    private static readonly HashSet<string> CallKeys = new(StringComparer.Ordinal) { "function", "arguments" };
    private static readonly HashSet<string> AgentKeys = new(StringComparer.Ordinal) { "id", "owner", "tools", "scopes" };
    private static readonly HashSet<string> ExpectKeys = new(StringComparer.Ordinal) { "decision", "rules", "approval_group", "approval_groups", "escalate_to" };
    private static readonly string[] RequiredCaseKeys = ["name", "call", "agent", "expect"];
    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal) { "cases" };

    public static (IReadOnlyList<PolicyTestCase> Cases, IReadOnlyList<PolicyError> Errors) LoadDirectory(string directory)
    {
        var cases = new List<PolicyTestCase>();
        var errors = new List<PolicyError>();
        if (!Directory.Exists(directory))
        {
            errors.Add(new PolicyError(directory, 0, 0, "policy tests folder not found"));
            return (cases, errors);
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            Parse(file, File.ReadAllText(file), cases, errors);
        }

        if (cases.Count == 0 && errors.Count == 0)
        {
            errors.Add(new PolicyError(directory, 0, 0, "no policy test cases found"));
        }

        return (cases, errors);
    }

    public static void Parse(string file, string text, List<PolicyTestCase> cases, List<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var yaml = new YamlReading(file, errors);
        var stream = new YamlStream();
        if (YamlText.TryLoad(stream, text) is { } syntax)
        {
            errors.Add(new PolicyError(file, syntax.Line, syntax.Column, $"not valid YAML: {syntax.Message}"));
            return;
        }

        if (stream.Documents.Count == 0 || yaml.Mapping(stream.Documents[0].RootNode, "a policy test file", TopKeys) is not { } top
            || !top.TryGetValue("cases", out var list) || list.Value is not YamlSequenceNode sequence)
        {
            errors.Add(new PolicyError(file, 1, 1, "a policy test file holds 'cases:', a list of cases"));
            return;
        }

        foreach (var node in sequence)
        {
            if (ReadCase(yaml, node) is { } testCase)
            {
                cases.Add(testCase);
            }
        }
    }

    private static PolicyTestCase? ReadCase(YamlReading yaml, YamlNode node)
    {
        var before = yaml.ErrorCount;
        var entries = yaml.Mapping(node, "a test case", CaseKeys);
        if (entries is null)
        {
            return null;
        }

        foreach (var required in RequiredCaseKeys.Where(k => !entries.ContainsKey(k)))
        {
            yaml.Error(node, $"a test case needs '{required}'");
        }

        if (yaml.ErrorCount > before)
        {
            return null;
        }

        var name = yaml.Scalar(entries["name"].Value, "name") ?? "(unnamed)";
        var call = yaml.Mapping(entries["call"].Value, "call", CallKeys);
        var agent = yaml.Mapping(entries["agent"].Value, "agent", AgentKeys);
        var expect = yaml.Mapping(entries["expect"].Value, "expect", ExpectKeys);
        if (call is null || agent is null || expect is null || !call.TryGetValue("function", out var functionNode)
            || !agent.TryGetValue("owner", out var ownerNode) || !expect.TryGetValue("decision", out var decisionNode))
        {
            yaml.Error(node, "a test case needs call.function, agent.owner and expect.decision");
            return null;
        }

        var function = yaml.Scalar(functionNode.Value, "function");
        var arguments = new Dictionary<string, ToolArgumentValue>(StringComparer.Ordinal);
        if (call.TryGetValue("arguments", out var args) && args.Value is YamlMappingNode argMap)
        {
            foreach (var (key, value) in argMap.Children)
            {
                var values = yaml.ScalarList(value, "an argument value");
                if (values is not null)
                {
                    arguments[((YamlScalarNode)key).Value!] = value is YamlSequenceNode ? new ToolArgumentValue([.. values]) : new ToolArgumentValue(values[0]);
                }
            }
        }

        var owner = yaml.Scalar(ownerNode.Value, "owner");
        var tools = agent.TryGetValue("tools", out var toolsNode) ? yaml.ScalarList(toolsNode.Value, "tools") ?? [] : [function ?? string.Empty];
        var scopes = new Dictionary<string, IEnumerable<string>>(StringComparer.Ordinal);
        if (agent.TryGetValue("scopes", out var scopesNode) && scopesNode.Value is YamlMappingNode scopeMap)
        {
            foreach (var (key, value) in scopeMap.Children)
            {
                scopes[((YamlScalarNode)key).Value!] = yaml.ScalarList(value, "scope values") ?? [];
            }
        }

        var requester = entries.TryGetValue("requester", out var requesterNode) ? yaml.Scalar(requesterNode.Value, "requester") : owner;
        var tainted = entries.TryGetValue("tainted", out var taintedNode) ? yaml.ScalarList(taintedNode.Value, "tainted") ?? [] : [];
        var outcome = PolicyText.ParseOutcome((decisionNode.Value as YamlScalarNode)?.Value);
        if (outcome is null)
        {
            yaml.Error(decisionNode.Value, "expect.decision must be allow, deny or require_approval");
        }

        var rules = expect.TryGetValue("rules", out var rulesNode) ? yaml.ScalarList(rulesNode.Value, "rules") : null;
        IReadOnlyList<string>? groups = expect.TryGetValue("approval_group", out var groupNode) && yaml.Scalar(groupNode.Value, "approval_group") is { } group ? [group]
            : expect.TryGetValue("approval_groups", out var groupsNode) ? yaml.ScalarList(groupsNode.Value, "approval_groups")
            : null;
        var escalateTo = expect.TryGetValue("escalate_to", out var escalateNode) ? yaml.Scalar(escalateNode.Value, "escalate_to") : null;
        if (yaml.ErrorCount > before || function is null || owner is null || requester is null || outcome is null)
        {
            return null;
        }

        var agentId = agent.TryGetValue("id", out var idNode) ? yaml.Scalar(idNode.Value, "id") : null;
        var request = new PolicyRequest(function, arguments, AgentContext.Create(agentId, owner, tools, scopes), requester, new HashSet<string>(tainted, StringComparer.Ordinal));
        return new PolicyTestCase(yaml.File, node.Start.Line, name, request, outcome.Value, rules, groups, escalateTo);
    }
}
