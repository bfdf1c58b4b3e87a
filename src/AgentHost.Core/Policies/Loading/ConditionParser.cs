using System.Text.RegularExpressions;
using AgentHost.Core.Policies.Conditions;
using AgentHost.Core.Tools;
using YamlDotNet.RepresentationModel;

namespace AgentHost.Core.Policies.Loading;

/// <summary>Turns one "when" entry into a compiled condition, or records why it cannot.</summary>
internal sealed class ConditionParser(YamlReading yaml, IReadOnlyDictionary<string, List<string>> lists, ToolCatalog catalog)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    private static readonly HashSet<string> ArgumentOperators = new(StringComparer.Ordinal)
    {
        "equals", "not_equals", "in", "not_in", "glob", "not_glob", "regex", "not_regex", "domain_in", "domain_not_in",
        "in_scope", "not_in_scope", "domain_in_scope", "domain_not_in_scope", "present", "absent",
    };

    private static readonly HashSet<string> ReferenceKeys = new(StringComparer.Ordinal) { "list", "scope" };

    private static readonly HashSet<string> ConditionKeys = new(ArgumentOperators.Append("argument").Concat(
        ["tainted", "owner", "owner_in_group", "owner_role", "requester_is_owner"]), StringComparer.Ordinal);

    public Condition? Parse(YamlNode node, IReadOnlyList<ToolDescriptor> tools)
    {
        var before = yaml.ErrorCount;
        var entries = yaml.Mapping(node, "a condition", ConditionKeys);
        if (entries is null || yaml.ErrorCount > before)
        {
            return null;
        }

        if (entries.TryGetValue("argument", out var argument))
        {
            return ParseArgument(node, argument.Value, entries, tools);
        }

        if (entries.Count != 1)
        {
            yaml.Error(node, "a condition must be one of: argument with an operator, tainted, owner, owner_in_group, owner_role, requester_is_owner");
            return null;
        }

        var (key, (_, value)) = entries.First();
        return key switch
        {
            "tainted" => ParseTainted(value, tools),
            "owner" => Employee(value, EmployeeCondition.Kind.OwnerIs),
            "owner_in_group" => Employee(value, EmployeeCondition.Kind.OwnerInGroup),
            "owner_role" => Employee(value, EmployeeCondition.Kind.OwnerHasRole),
            "requester_is_owner" => ParseRequesterIsOwner(value),
            _ => Unknown(node, $"'{key}' needs an 'argument' to test"),
        };
    }

    private ArgumentCondition? ParseArgument(YamlNode node, YamlNode argumentNode, Dictionary<string, (YamlNode Key, YamlNode Value)> entries, IReadOnlyList<ToolDescriptor> tools)
    {
        var arguments = yaml.ScalarList(argumentNode, "argument");
        var operators = entries.Keys.Where(ArgumentOperators.Contains).ToList();
        if (operators.Count != 1)
        {
            yaml.Error(node, $"an argument condition needs exactly one operator ({string.Join(", ", ArgumentOperators)})");
            return null;
        }

        if (entries.Keys.Any(k => k != "argument" && !ArgumentOperators.Contains(k)))
        {
            yaml.Error(node, "an argument condition cannot be combined with another kind of condition; write them as separate entries");
            return null;
        }

        foreach (var argument in (arguments ?? []).Where(a => tools.Count > 0 && !tools.Any(t => t.Arguments.Contains(a))))
        {
            yaml.Error(argumentNode, $"argument '{argument}' is not declared by {string.Join(", ", tools.Select(t => t.Name))}");
            return null;
        }

        var kinds = (arguments ?? []).SelectMany(a => tools.Where(t => t.Arguments.Contains(a)).Select(t => t.KindOf(a))).Distinct().ToList();
        if (kinds.Count > 1)
        {
            yaml.Error(argumentNode, $"the arguments {string.Join(", ", arguments!)} are of different kinds ({string.Join(", ", kinds)}) in the matched functions; test them in separate rules");
            return null;
        }

        var kind = kinds.Count == 1 ? kinds[0] : ArgumentKind.Text;
        var op = operators[0];
        var negated = op.StartsWith("not_", StringComparison.Ordinal) || op.StartsWith("domain_not_", StringComparison.Ordinal) || op == "absent";
        var valueNode = entries[op].Value;
        ValueTest? test = op switch
        {
            "equals" or "not_equals" or "in" or "not_in" => Values(valueNode) is var (values, scopes) ? new SetTest(values, scopes, kind) : null,
            "glob" or "not_glob" => Pattern(valueNode, glob: true, kind),
            "regex" or "not_regex" => Pattern(valueNode, glob: false, kind),
            "domain_in" or "domain_not_in" => Values(valueNode) is var (domains, scopes) ? new DomainTest(domains, scopes, kind) : null,
            "in_scope" or "not_in_scope" => Scope(valueNode) is { } scope ? new SetTest([], [scope], kind) : null,
            "domain_in_scope" or "domain_not_in_scope" => Scope(valueNode) is { } scope ? new DomainTest([], [scope], kind) : null,
            _ => PresentTest.Instance,
        };
        return arguments is null || test is null ? null : new ArgumentCondition([.. arguments], test, negated);
    }

    /// <summary>Literal values, named lists ({list: name}) and agent scopes ({scope: key}), alone or in a list.</summary>
    private (List<string> Values, string[] Scopes)? Values(YamlNode node)
    {
        var values = new List<string>();
        var scopes = new List<string>();
        var ok = true;
        foreach (var item in node is YamlSequenceNode sequence ? sequence.Children : [node])
        {
            if (item is YamlScalarNode)
            {
                ok &= yaml.Scalar(item, "a value") is { } value && Add(values, value);
                continue;
            }

            var entries = yaml.Mapping(item, "a value reference", ReferenceKeys);
            if (entries is null || entries.Count != 1)
            {
                if (entries is not null)
                {
                    yaml.Error(item, "a value reference is {list: name} or {scope: key}");
                }

                ok = false;
                continue;
            }

            if (entries.TryGetValue("scope", out var scopeNode))
            {
                ok &= Scope(scopeNode.Value) is { } scope && Add(scopes, scope);
            }
            else if (yaml.Scalar(entries["list"].Value, "list") is { } listName)
            {
                if (lists.TryGetValue(listName, out var listed))
                {
                    values.AddRange(listed);
                }
                else
                {
                    yaml.Error(entries["list"].Value, $"unknown list '{listName}' (defined lists: {string.Join(", ", lists.Keys)})");
                    ok = false;
                }
            }
            else
            {
                ok = false;
            }
        }

        return ok ? (values, [.. scopes]) : null;
    }

    private static bool Add(List<string> list, string value)
    {
        list.Add(value);
        return true;
    }

    private PatternTest? Pattern(YamlNode node, bool glob, ArgumentKind kind)
    {
        if (yaml.Scalar(node, glob ? "glob" : "regex") is not { } text)
        {
            return null;
        }

        // A glob is a value with wildcards: normalised like one (refs/heads/release-* is release-*).
        var pattern = glob ? "^" + Regex.Escape(ValueNormalization.Normalize(kind, text)).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$" : $"^(?:{text})$";
        try
        {
            // Non-backtracking: a policy author's pattern can never make evaluation slow (no ReDoS).
            return new PatternTest(new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ValueNormalization.IgnoresCase(kind) ? RegexOptions.IgnoreCase : RegexOptions.None), MatchTimeout));
        }
        catch (ArgumentException ex)
        {
            yaml.Error(node, $"bad {(glob ? "glob" : "regex")} '{text}': {ex.Message}");
            return null;
        }
    }

    private string? Scope(YamlNode node)
    {
        var scope = yaml.Scalar(node, "scope");
        if (scope is not null && !catalog.TryGetScope(scope, out _))
        {
            yaml.Error(node, $"unknown scope '{scope}' (known: {string.Join(", ", catalog.ScopeKeys)})");
            return null;
        }

        return scope;
    }

    private TaintedCondition? ParseTainted(YamlNode node, IReadOnlyList<ToolDescriptor> tools)
    {
        if (node is YamlScalarNode { Value: "any_sink" })
        {
            return new TaintedCondition(null);
        }

        var arguments = node is YamlSequenceNode ? yaml.ScalarList(node, "tainted") : null;
        if (arguments is null)
        {
            yaml.Error(node, "tainted must be 'any_sink' or a list of argument names");
            return null;
        }

        foreach (var argument in arguments.Where(a => tools.Count > 0 && !tools.Any(t => t.Arguments.Contains(a))))
        {
            yaml.Error(node, $"argument '{argument}' is not declared by {string.Join(", ", tools.Select(t => t.Name))}");
            return null;
        }

        return new TaintedCondition([.. arguments]);
    }

    private EmployeeCondition? Employee(YamlNode node, EmployeeCondition.Kind kind) =>
        yaml.Scalar(node, "value") is { } value ? new EmployeeCondition(kind, value) : null;

    private EmployeeCondition? ParseRequesterIsOwner(YamlNode node) => (node as YamlScalarNode)?.Value switch
    {
        "true" => new EmployeeCondition(EmployeeCondition.Kind.RequesterIsOwner, string.Empty),
        "false" => new EmployeeCondition(EmployeeCondition.Kind.RequesterIsNotOwner, string.Empty),
        _ => Unknown(node, "requester_is_owner must be true or false") as EmployeeCondition,
    };

    private Condition? Unknown(YamlNode node, string message)
    {
        yaml.Error(node, message);
        return null;
    }
}
