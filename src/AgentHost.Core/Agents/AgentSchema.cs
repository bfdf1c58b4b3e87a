namespace AgentHost.Core.Agents;

internal static class AgentSchema
{
    public const string Sql = """
        CREATE TABLE agents (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL COLLATE NOCASE,
            definition TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL
        );
        CREATE INDEX ix_agents_owner ON agents (owner);
        """;
}
