namespace AgentHost.Core.Agents;

/// <summary>A stored agent: its definition, whose it is, and whether the kill switch is thrown.</summary>
public sealed record Agent(
    string Id,
    string Owner,
    AgentDefinition Definition,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);
