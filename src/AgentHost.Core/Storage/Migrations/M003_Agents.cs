namespace AgentHost.Core.Storage.Migrations;

/// <summary>Agents and their owners. Owners were compared case-insensitively here, differently per dialect; migration 15 stores them lower case.</summary>
internal static class M003_Agents
{
    public static Migration Migration { get; } = new(3, "agents",
        Sqlite: """
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
            """,
        Postgres: """
            CREATE TABLE agents (
                id TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                definition TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                version BIGINT NOT NULL
            );
            CREATE INDEX ix_agents_owner ON agents (lower(owner));
            """);
}
