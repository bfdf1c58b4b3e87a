using Dapper;

namespace AgentHost.Core.Storage;

/// <summary>
/// A write that must become durable together with audit events: it runs in the audit writer's group-commit
/// transaction, so a tool call's record and the audit event of the same step cost one shared fsync.
/// <see cref="Parameters"/> are named (@name) as everywhere in the store: an anonymous object or <see cref="DynamicParameters"/>.
/// <see cref="Next"/> chains a further write into the same transaction (a call's record and the content its event commits to).
/// </summary>
public sealed record StoreWrite(string Sql, object? Parameters, StoreWrite? Next = null)
{
    /// <summary>This write, then <paramref name="other"/> (either may be absent).</summary>
    public static StoreWrite? Chain(StoreWrite? first, StoreWrite? other) =>
        first is null ? other : other is null ? first : first with { Next = first.Next is null ? other : Chain(first.Next, other) };
}
