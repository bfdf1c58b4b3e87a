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

public sealed record EvaluateAgent(string? Owner, List<string>? Tools, Dictionary<string, List<string>>? Scopes);
