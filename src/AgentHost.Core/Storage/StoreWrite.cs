using Dapper;

namespace AgentHost.Core.Storage;

/// <summary>
/// A write that must become durable together with audit events: it runs in the audit writer's group-commit
/// transaction, so a tool call's record and the audit event of the same step cost one shared fsync.
/// <see cref="Parameters"/> are named (@name) as everywhere in the store: an anonymous object or <see cref="DynamicParameters"/>.
/// </summary>
public sealed record StoreWrite(string Sql, object? Parameters);
