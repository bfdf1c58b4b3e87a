namespace AgentHost.Runs;

/// <summary>POST /api/runs/{id}/stop: why (optional, recorded in the audit trail and as the run's stop reason).</summary>
public sealed record StopRunRequest(string? Reason);
