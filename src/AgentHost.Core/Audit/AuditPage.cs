namespace AgentHost.Core.Audit;

/// <summary>One page of a search; pass <see cref="NextCursor"/> as "after" for the next one.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Events, long? NextCursor);
