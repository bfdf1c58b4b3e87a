namespace AgentHost.Core.Agents;

/// <summary>What an employee writes in the agent form; everything but identity and lifecycle.</summary>
public sealed record AgentDefinition(
    string? Name,
    string? Description,
    string? Instructions,
    string? Model,
    IReadOnlyList<string>? Tools,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Scopes,
    AgentTriggers? Triggers,
    AgentBudgets? Budgets);
