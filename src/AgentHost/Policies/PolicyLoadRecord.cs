namespace AgentHost.Policies;

/// <summary>One load attempt of the policy set, for the policy page and GET /api/policy.</summary>
public sealed record PolicyLoadRecord(DateTimeOffset At, bool Loaded, string? Hash, int Rules, IReadOnlyList<string> Errors);
