namespace AgentHost.Core.Audit;

/// <summary>
/// The append side of the audit trail. AppendAsync completes only once the event is durable; if it
/// throws, the caller must not proceed with the action it was recording (fail closed).
/// </summary>
public interface IAuditLog
{
    Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);
}
