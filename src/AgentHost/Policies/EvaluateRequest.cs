using System.Text.Json;

namespace AgentHost.Policies;

/// <summary>A what-if question: what would the policies decide for this call by this agent?</summary>
public sealed record EvaluateRequest(
    string? Function,
    Dictionary<string, JsonElement>? Arguments,
    EvaluateAgent? Agent,
    string? Requester,
    List<string>? Tainted);

public sealed record EvaluateAgent(string? Owner, List<string>? Tools, Dictionary<string, List<string>>? Scopes);
