namespace AgentHost.Audit.Siem;

/// <summary>A destination's stored state: every event up to <see cref="LastSeq"/> was delivered (at least once).</summary>
public sealed record SiemCursor(
    string Destination,
    long LastSeq,
    DateTimeOffset? ForwardedAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    string? LeaseOwner);
