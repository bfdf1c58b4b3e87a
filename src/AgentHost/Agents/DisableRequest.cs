namespace AgentHost.Agents;

public sealed record DisableRequest(string? Reason);
