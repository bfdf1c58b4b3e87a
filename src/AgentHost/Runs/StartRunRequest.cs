namespace AgentHost.Runs;

public sealed record StartRunRequest(string? Input);
