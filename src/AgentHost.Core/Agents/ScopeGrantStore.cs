using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Agents;

/// <summary>Admin grants of scope values beyond an owner's authority, kept apart from the definition an owner edits.</summary>
public sealed class ScopeGrantStore(StoreDatabase database)
{
    internal const string Sql = """
        CREATE TABLE agent_scope_grants (
            agent_id TEXT NOT NULL,
            scope TEXT NOT NULL,
            value TEXT NOT NULL,
            granted_by TEXT NOT NULL,
            granted_at BIGINT NOT NULL,
            reason TEXT NULL,
            PRIMARY KEY (agent_id, scope, value)
        );
        """;

    /// <summary>Records a grant; granting the same value twice keeps the first grant (and its author).</summary>
    public async Task<bool> AddAsync(ScopeGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO agent_scope_grants (agent_id, scope, value, granted_by, granted_at, reason) VALUES (@agent, @scope, @value, @by, @at, @reason) ON CONFLICT (agent_id, scope, value) DO NOTHING";
        insert.AddParameter("@agent", grant.AgentId);
        insert.AddParameter("@scope", grant.Scope);
        insert.AddParameter("@value", ScopeValues.Canonical(grant.Scope, grant.Value));
        insert.AddParameter("@by", grant.GrantedBy.ToLowerInvariant());
        insert.AddParameter("@at", StoreTime.ToMicroseconds(grant.GrantedAt));
        insert.AddParameter("@reason", grant.Reason);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ScopeGrant>> ListAsync(string agentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT scope, value, granted_by, granted_at, reason FROM agent_scope_grants WHERE agent_id = @agent ORDER BY scope, value";
        query.AddParameter("@agent", agentId);
        var grants = new List<ScopeGrant>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            grants.Add(new ScopeGrant(agentId, reader.GetString(0), reader.GetString(1), reader.GetString(2), StoreTime.FromMicroseconds(reader.GetInt64(3)), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return grants;
    }
}
