namespace AgentHost.Core.Agents;

/// <summary>
/// A stored agent: its definition, whose it is, and whether the kill switch is thrown; if it is, who threw
/// it, when and why (null for agents disabled before migration 19 recorded that). <see cref="Version"/>
/// counts every change of the row (the optimistic-update token); <see cref="DefinitionVersion"/> counts
/// saves of the definition, the numbers of the agent's history (GET /api/agents/{id}/versions).
/// </summary>
public sealed record Agent(
    string Id,
    string Owner,
    AgentDefinition Definition,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    string? DisabledBy = null,
    DateTimeOffset? DisabledAt = null,
    string? DisabledReason = null,
    long DefinitionVersion = 0);
