using System.Text.Json;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Policies;

namespace AgentHost.Web;

/// <summary>
/// What the loaded policies decide for one call of a granted tool: the arguments it was evaluated with
/// (one value of each scope the tool's arguments name; none when no scope applies), the decision and its rules.
/// </summary>
public sealed record ToolPreview(ToolDescriptor Tool, IReadOnlyDictionary<string, string> Arguments, string Decision, IReadOnlyList<string> Rules, string Explanation, string? ApprovalGroup)
{
    /// <summary>"environment = production, repo = acme/web"; empty for a call without arguments.</summary>
    public string ArgumentText => string.Join(", ", Arguments.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} = {a.Value}"));
}

/// <summary>
/// The agent form's policy panel: each selected tool through the what-if evaluator (the same reader and
/// policy set as POST /api/policy/evaluate), once per value of the draft's scopes that the tool's arguments
/// name (deploy to staging, deploy to production), so an author sees allowed / needs approval / denied as a
/// real call would meet it. A tool no scope applies to is evaluated once, without arguments.
/// </summary>
public sealed class PolicyPreview(PolicyProvider policies, EmployeeDirectory directory, ToolCatalog catalog)
{
    /// <summary>More combinations than this per tool are not shown: the panel is a preview, not a test suite.</summary>
    public const int MaxRowsPerTool = 24;

    public IReadOnlyList<ToolPreview> For(string owner, AgentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var (tools, scopes) = Draft(definition);
        var previews = new List<ToolPreview>();
        foreach (var name in tools.Order(StringComparer.Ordinal))
        {
            catalog.TryGet(name, out var tool);
            foreach (var arguments in Samples(tool!, scopes).Take(MaxRowsPerTool))
            {
                var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
                previews.Add(Evaluate(owner, tool!, arguments, tools, scopes, errors));
            }
        }

        return previews;
    }

    /// <summary>
    /// "Try a call": <paramref name="function"/> with the JSON object <paramref name="argumentsJson"/> against the
    /// unsaved draft. Null with <paramref name="errors"/> (keyed tryFunction / tryArguments) when the input is wrong.
    /// </summary>
    public ToolPreview? Try(string owner, AgentDefinition definition, string? function, string? argumentsJson, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(function) || !catalog.TryGet(function.Trim(), out var tool))
        {
            errors["tryFunction"] = [$"Choose one of the host's tools{(string.IsNullOrWhiteSpace(function) ? string.Empty : $"; there is no tool '{function.Trim()}'")}"];
            return null;
        }

        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(argumentsJson))
        {
            try
            {
                using var document = JsonDocument.Parse(argumentsJson);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    errors["tryArguments"] = ["The arguments must be a JSON object, e.g. {\"environment\": \"production\"}"];
                    return null;
                }

                foreach (var property in document.RootElement.EnumerateObject())
                {
                    arguments[property.Name] = property.Value.Clone();
                }
            }
            catch (JsonException ex)
            {
                errors["tryArguments"] = [$"The arguments are not valid JSON (line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}); write an object such as {{\"environment\": \"production\"}}"];
                return null;
            }
        }

        var (tools, scopes) = Draft(definition);
        var preview = Evaluate(owner, tool, arguments, tools, scopes, errors);
        if (errors.Count > 0)
        {
            errors["tryArguments"] = [.. errors.Where(e => e.Key != "tryArguments").SelectMany(e => e.Value.Select(m => $"{e.Key.Replace("arguments.", string.Empty, StringComparison.Ordinal)}: {m}"))];
            foreach (var key in errors.Keys.Where(k => k != "tryArguments").ToList())
            {
                errors.Remove(key);
            }

            return null;
        }

        return preview;
    }

    private (List<string> Tools, Dictionary<string, List<string>> Scopes) Draft(AgentDefinition definition) =>
        ((definition.Tools ?? []).Where(t => catalog.TryGet(t, out _)).Distinct(StringComparer.Ordinal).ToList(),
         (definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>())
            .Where(s => catalog.TryGetScope(s.Key, out _))
            .ToDictionary(s => s.Key, s => s.Value.ToList(), StringComparer.Ordinal));

    private ToolPreview Evaluate(string owner, ToolDescriptor tool, Dictionary<string, JsonElement> arguments, List<string> tools, Dictionary<string, List<string>> scopes, Dictionary<string, string[]> errors)
    {
        var shown = arguments.ToDictionary(a => a.Key, a => a.Value.ValueKind == JsonValueKind.String ? a.Value.GetString()! : a.Value.GetRawText(), StringComparer.Ordinal);
        var request = EvaluateRequestReader.Read(new EvaluateRequest(tool.Name, arguments, new EvaluateAgent(owner, tools, scopes), owner, null), owner, directory, catalog, errors);
        if (request is null)
        {
            return new ToolPreview(tool, shown, "unknown", [], string.Join("; ", errors.SelectMany(e => e.Value)), null);
        }

        var decision = policies.Current.Evaluate(request, directory);
        return new ToolPreview(tool, shown, PolicyText.Outcome(decision.Outcome), decision.RuleIds, decision.Explanation, decision.Approvals.Count == 0 ? null : string.Join(" + ", decision.Approvals.Select(a => a.Group)));
    }

    /// <summary>
    /// The calls to preview: every combination of the draft's values of the scopes whose kind the tool's
    /// arguments share (a repository argument takes github.repos, an environment github.environments; a
    /// recipient address takes a made-up address at each granted domain). No such scope: one call without arguments.
    /// </summary>
    private IEnumerable<Dictionary<string, JsonElement>> Samples(ToolDescriptor tool, Dictionary<string, List<string>> scopes)
    {
        var axes = new List<(string Argument, string Scope, List<JsonElement> Values)>();
        foreach (var scope in catalog.Scopes.Where(s => s.Plugin == tool.Plugin))
        {
            var values = scopes.GetValueOrDefault(scope.Key) ?? [];
            foreach (var argument in tool.Arguments.Where(a => Compatible(tool.KindOf(a), scope.Kind)))
            {
                // One recipient field (to) is enough to show what a domain gets; cc would only multiply the rows.
                if (values.Count == 0 || axes.Any(x => x.Argument == argument || (scope.Kind == ArgumentKind.Domain && x.Scope == scope.Key)))
                {
                    continue;
                }

                var texts = tool.KindOf(argument) == ArgumentKind.Email && scope.Kind == ArgumentKind.Domain ? values.Select(d => $"someone@{d}") : values;
                axes.Add((argument, scope.Key, [.. texts.Select(v => tool.ListArguments.Contains(argument) ? JsonSerializer.SerializeToElement(new[] { v }) : JsonSerializer.SerializeToElement(v))]));
            }
        }

        IEnumerable<Dictionary<string, JsonElement>> combinations = [new Dictionary<string, JsonElement>(StringComparer.Ordinal)];
        foreach (var (argument, _, values) in axes)
        {
            combinations = combinations.SelectMany(c => values.Select(v => new Dictionary<string, JsonElement>(c, StringComparer.Ordinal) { [argument] = v }));
        }

        return combinations;
    }

    private static bool Compatible(ArgumentKind argument, ArgumentKind scope) =>
        argument == scope || (argument == ArgumentKind.Email && scope == ArgumentKind.Domain);
}
