namespace AgentHost.Core.Agents;

/// <summary>A scope value an admin granted an agent beyond its owner's own authority; the value is canonical (<see cref="ScopeValues"/>).</summary>
public sealed record ScopeGrant(string AgentId, string Scope, string Value, string GrantedBy, DateTimeOffset GrantedAt, string? Reason);
