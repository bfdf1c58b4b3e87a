namespace AgentHost.Runs;

/// <summary>POST /api/agents/{id}/runs: what the agent should do; dryRun true for a test run whose writes are not executed.</summary>
public sealed record StartRunRequest(string? Input, bool? DryRun = null);
