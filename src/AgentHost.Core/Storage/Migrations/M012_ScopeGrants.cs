namespace AgentHost.Core.Storage.Migrations;

internal static class M012_ScopeGrants
{
    // The same words in both dialects (SQLite reads BIGINT as INTEGER).
    private const string Sql = """
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

    public static Migration Migration { get; } = new(12, "scope values an admin granted an agent beyond its owner's authority", Sqlite: Sql, Postgres: Sql);
}
