using AgentHost.Core.Storage;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Agents;

/// <summary>Admin grants of scope values beyond an owner's authority, kept apart from the definition an owner edits.</summary>
public sealed class ScopeGrantStore(StoreDatabase database, ToolCatalog catalog)
{
    /// <summary>Records a grant; granting the same value twice keeps the first grant (and its author).</summary>
    public async Task<bool> AddAsync(ScopeGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return await database.ExecuteAsync(
            "INSERT INTO agent_scope_grants (agent_id, scope, value, granted_by, granted_at, reason) VALUES (@agentId, @scope, @value, @grantedBy, @grantedAt, @reason) ON CONFLICT (agent_id, scope, value) DO NOTHING",
            new
            {
                agentId = grant.AgentId,
                scope = grant.Scope,
                value = ScopeValues.Canonical(catalog, grant.Scope, grant.Value),
                grantedBy = EmailAddressText.Canonical(grant.GrantedBy),
                grantedAt = StoreTime.ToMicroseconds(grant.GrantedAt),
                reason = grant.Reason,
            },
            cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ScopeGrant>> ListAsync(string agentId, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<GrantRow>(
            "SELECT scope, value, granted_by, granted_at, reason FROM agent_scope_grants WHERE agent_id = @agentId ORDER BY scope, value",
            new { agentId },
            cancellationToken)).Select(r => new ScopeGrant(agentId, r.Scope, r.Value, r.GrantedBy, StoreTime.FromMicroseconds(r.GrantedAt), r.Reason))];

    private sealed record GrantRow
    {
        public string Scope { get; init; } = "";
        public string Value { get; init; } = "";
        public string GrantedBy { get; init; } = "";
        public long GrantedAt { get; init; }
        public string? Reason { get; init; }
    }
}
