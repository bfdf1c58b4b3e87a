namespace AgentHost.Core.Agents.History;

/// <summary>
/// How one field of an agent changed between two saves. A scalar field (name, model, a budget) has
/// <see cref="Before"/> and <see cref="After"/>; a set (tools, a scope's values, trigger channels) has
/// <see cref="Added"/> and <see cref="Removed"/>; the instructions have <see cref="Lines"/>.
/// <see cref="Field"/> is the API's field path (tools, scopes.slack.channels, budgets.maxTurns).
/// </summary>
public sealed record AgentFieldChange(
    string Field,
    string? Before = null,
    string? After = null,
    IReadOnlyList<string>? Added = null,
    IReadOnlyList<string>? Removed = null,
    IReadOnlyList<DiffLine>? Lines = null);
