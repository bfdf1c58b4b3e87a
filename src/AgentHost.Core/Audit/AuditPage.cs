namespace AgentHost.Core.Audit;

/// <summary>One page of a search; pass <see cref="NextCursor"/> as "after" for the next one.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Events, long? NextCursor);

/// <summary>
/// A page of events newest first, with the cursors of the pages beside it: Newer (pass as after) when
/// newer events match, Older (pass as before) when older ones do; null at either end.
/// </summary>
public sealed record AuditBrowsePage(IReadOnlyList<AuditEvent> Events, long? Newer, long? Older);
