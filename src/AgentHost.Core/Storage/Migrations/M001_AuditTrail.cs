namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// The audit tables. The database itself refuses UPDATE and DELETE (and on PostgreSQL TRUNCATE) by trigger,
/// so a bug or a careless query in the application cannot rewrite history; someone with the file can, and
/// verification finds it. PostgreSQL deployments also grant the application role only INSERT and SELECT on
/// them (docs/operations.md).
/// </summary>
internal static class M001_AuditTrail
{
    public static Migration Migration { get; } = new(1, "audit trail",
        Sqlite: """
            CREATE TABLE audit_events (
                seq INTEGER PRIMARY KEY,
                ts INTEGER NOT NULL,
                type TEXT NOT NULL,
                actor TEXT NOT NULL,
                agent_id TEXT NULL,
                run_id TEXT NULL,
                data TEXT NOT NULL,
                leaf_hash BLOB NOT NULL
            );
            CREATE INDEX ix_audit_events_run ON audit_events (run_id, seq) WHERE run_id IS NOT NULL;
            CREATE INDEX ix_audit_events_agent ON audit_events (agent_id, seq) WHERE agent_id IS NOT NULL;
            CREATE INDEX ix_audit_events_actor ON audit_events (actor, seq);
            CREATE INDEX ix_audit_events_type ON audit_events (type, seq);
            CREATE INDEX ix_audit_events_ts ON audit_events (ts);
            CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
            CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
                BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

            CREATE TABLE audit_checkpoints (
                id INTEGER PRIMARY KEY,
                tree_size INTEGER NOT NULL,
                root_hash BLOB NOT NULL,
                ts INTEGER NOT NULL,
                note TEXT NOT NULL
            );
            CREATE INDEX ix_audit_checkpoints_size ON audit_checkpoints (tree_size);
            CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
                BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
            CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
                BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
            """,
        Postgres: """
            CREATE TABLE audit_events (
                seq BIGINT PRIMARY KEY,
                ts BIGINT NOT NULL,
                type TEXT NOT NULL,
                actor TEXT NOT NULL,
                agent_id TEXT NULL,
                run_id TEXT NULL,
                data TEXT NOT NULL,
                leaf_hash BYTEA NOT NULL
            );
            CREATE INDEX ix_audit_events_run ON audit_events (run_id, seq) WHERE run_id IS NOT NULL;
            CREATE INDEX ix_audit_events_agent ON audit_events (agent_id, seq) WHERE agent_id IS NOT NULL;
            CREATE INDEX ix_audit_events_actor ON audit_events (actor, seq);
            CREATE INDEX ix_audit_events_type ON audit_events (type, seq);
            CREATE INDEX ix_audit_events_ts ON audit_events (ts);
            CREATE TABLE audit_checkpoints (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tree_size BIGINT NOT NULL,
                root_hash BYTEA NOT NULL,
                ts BIGINT NOT NULL,
                note TEXT NOT NULL
            );
            CREATE INDEX ix_audit_checkpoints_size ON audit_checkpoints (tree_size);
            CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$;
            CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_append_only();
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
            CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
                FOR EACH ROW EXECUTE FUNCTION audit_append_only();
            CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
                FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
            """);
}
