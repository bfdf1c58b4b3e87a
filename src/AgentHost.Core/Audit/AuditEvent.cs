namespace AgentHost.Core.Audit;

/// <summary>
/// One recorded event as stored. <see cref="Data"/> is redacted, canonical JSON (sorted keys, no
/// insignificant white space); <see cref="LeafHash"/> is SHA-256(0x00 || canonical event), RFC 6962 section 2.1.
/// </summary>
public sealed record AuditEvent(
    long Sequence,
    DateTimeOffset Timestamp,
    string Type,
    AuditActor Actor,
    string? AgentId,
    string? RunId,
    string Data,
    byte[] LeafHash);
