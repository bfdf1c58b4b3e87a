namespace AgentHost.Core.Storage;

/// <summary>
/// A write that must become durable together with audit events: it runs in the audit writer's group-commit
/// transaction, so a tool call's record and the audit event of the same step cost one shared fsync.
/// </summary>
public sealed record StoreWrite(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters);
