using System.Text.Json;

namespace AgentHost.Policies;

/// <summary>A what-if question: what would the policies decide for this call by this agent (inline or stored)?</summary>
public sealed record EvaluateRequest(
    string? Function,
    Dictionary<string, JsonElement>? Arguments,
    EvaluateAgent? Agent,
    string? Requester,
    List<string>? Tainted,
    string? AgentId = null);

public sealed record EvaluateAgent(string? Owner, List<string>? Tools, Dictionary<string, List<string>>? Scopes)
{
    /// <summary>A stored agent as the what-if question's agent: its owner, granted tools and scopes.</summary>
    public static EvaluateAgent From(AgentHost.Core.Agents.Agent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new(
            stored.Owner,
            [.. stored.Definition.Tools ?? []],
            (stored.Definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>()).ToDictionary(s => s.Key, s => s.Value.ToList()));
    }
}
