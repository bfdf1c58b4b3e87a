namespace AgentHost.Agents;

/// <summary>POST /api/agents/{id}/enable: why the kill switch is undone (required, recorded in the audit trail).</summary>
public sealed record EnableRequest(string? Reason);
