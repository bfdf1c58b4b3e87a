namespace AgentHost.Agents;

/// <summary>An admin's grant of one scope value beyond the owner's authority, with why.</summary>
public sealed record GrantRequest(string? Scope, string? Value, string? Reason);
