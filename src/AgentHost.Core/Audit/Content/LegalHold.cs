namespace AgentHost.Core.Audit.Content;

/// <summary>What a legal hold keeps from retention: every run of an agent, or one run.</summary>
public enum LegalHoldTarget
{
    Agent,
    Run,
}

/// <summary>A legal hold; active until <see cref="ReleasedAt"/> is set.</summary>
public sealed record LegalHold(string Id, LegalHoldTarget TargetKind, string TargetId, string Reason, string PlacedBy, DateTimeOffset PlacedAt, string? ReleasedBy, DateTimeOffset? ReleasedAt)
{
    public bool Active => ReleasedAt is null;
}
