namespace AgentHost.Core.Audit;

/// <summary>
/// The append side of the audit trail. AppendAsync completes only once the event is durable; if it
/// throws, the caller must not proceed with the action it was recording (fail closed).
/// </summary>
public interface IAuditLog
{
    Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Appends consecutive events, and a store write, in one transaction: all durable or none.</summary>
    Task<IReadOnlyList<AuditEvent>> AppendAsync(IReadOnlyList<AuditEntry> entries, Storage.StoreWrite? companion, CancellationToken cancellationToken);
}
