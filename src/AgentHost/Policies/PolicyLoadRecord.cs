namespace AgentHost.Policies;

/// <summary>
/// One load attempt of the policy set, for the policy page and GET /api/policy; <see cref="Replay"/> says
/// what a changed set would have decided differently over the recorded calls (null at start-up or unchanged).
/// </summary>
public sealed record PolicyLoadRecord(DateTimeOffset At, bool Loaded, string? Hash, int Rules, IReadOnlyList<string> Errors, ReplaySummary? Replay = null);
