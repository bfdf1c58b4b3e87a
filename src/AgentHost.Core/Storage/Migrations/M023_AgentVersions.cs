namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// Agent history: every save of an agent's definition is a numbered version with who saved it, when, the
/// definition as saved and the diff from the version before (AgentVersionStore). agents.definition_version
/// is the newest number; runs.agent_version the version a run ran. Agents that exist when this runs get a
/// baseline version 1 (their definition as it stands, marked baseline: what changed before is only in the
/// audit trail); runs from before stay null, nothing is invented for them.
/// </summary>
internal static class M023_AgentVersions
{
    // The same words in both dialects (SQLite reads BIGINT as INTEGER); times are microseconds since the epoch (StoreTime).
    private const string Sql = """
        CREATE TABLE agent_versions (
            agent_id TEXT NOT NULL REFERENCES agents (id),
            version BIGINT NOT NULL,
            saved_by TEXT NOT NULL,
            saved_at BIGINT NOT NULL,
            definition TEXT NOT NULL,
            diff TEXT NOT NULL,
            PRIMARY KEY (agent_id, version)
        );
        ALTER TABLE agents ADD COLUMN definition_version BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN agent_version BIGINT NULL;
        INSERT INTO agent_versions (agent_id, version, saved_by, saved_at, definition, diff)
            SELECT id, 1, owner, updated_at, definition, '{"changes":[],"baseline":true}' FROM agents;
        UPDATE agents SET definition_version = 1;
        """;

    public static Migration Migration { get; } = new(23, "agent history: a version per save with its diff; the version each run ran", Sqlite: Sql, Postgres: Sql);
}
