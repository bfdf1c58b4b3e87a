using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Policies;

namespace AgentHost.Web;

/// <summary>What the loaded policies would decide for one granted tool, called with no particular arguments.</summary>
public sealed record ToolPreview(ToolDescriptor Tool, string Decision, IReadOnlyList<string> Rules, string Explanation, string? ApprovalGroup);

/// <summary>
/// The agent form's policy panel: each selected tool through the what-if evaluator (the same reader and
/// policy set as POST /api/policy/evaluate), so an author sees allowed / needs approval / denied before saving.
/// </summary>
public sealed class PolicyPreview(PolicyProvider policies, EmployeeDirectory directory, ToolCatalog catalog)
{
    public IReadOnlyList<ToolPreview> For(string owner, AgentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var tools = (definition.Tools ?? []).Where(t => catalog.TryGet(t, out _)).ToList();
        var scopes = (definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>())
            .Where(s => catalog.TryGetScope(s.Key, out _))
            .ToDictionary(s => s.Key, s => s.Value.ToList(), StringComparer.Ordinal);
        var previews = new List<ToolPreview>();
        foreach (var name in tools.Order(StringComparer.Ordinal))
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var request = EvaluateRequestReader.Read(new EvaluateRequest(name, null, new EvaluateAgent(owner, tools, scopes), owner, null), owner, directory, catalog, errors);
            catalog.TryGet(name, out var tool);
            if (request is null)
            {
                previews.Add(new ToolPreview(tool!, "unknown", [], string.Join("; ", errors.SelectMany(e => e.Value)), null));
                continue;
            }

            var decision = policies.Current.Evaluate(request, directory);
            previews.Add(new ToolPreview(tool!, PolicyText.Outcome(decision.Outcome), decision.RuleIds, decision.Explanation, decision.Approvals.Count == 0 ? null : string.Join(" + ", decision.Approvals.Select(a => a.Group))));
        }

        return previews;
    }
}
