namespace AgentHost.Audit.Siem;

/// <summary>What the audit page shows of one destination: where it goes (no secret, no query string), how far behind, what last failed.</summary>
public sealed record SiemDestinationStatus(
    string Name,
    SiemDestinationKind Kind,
    string Target,
    long Head,
    SiemCursor? Cursor)
{
    /// <summary>Events of the trail not yet delivered: the head's sequence number minus the cursor.</summary>
    public long Lag => Math.Max(0, Head - (Cursor?.LastSeq ?? 0));
}
