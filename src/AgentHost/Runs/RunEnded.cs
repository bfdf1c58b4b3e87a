namespace AgentHost.Runs;

/// <summary>A run reached its final status; observers read the status and output from the store.</summary>
public sealed record RunEnded(string RunId, string AgentId, string? Reason);
