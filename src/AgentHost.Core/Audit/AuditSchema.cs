namespace AgentHost.Core.Audit;

/// <summary>
/// The audit tables. Triggers make the database itself refuse UPDATE and DELETE, so a bug or a careless
/// query in the application cannot rewrite history; someone with the file can, and verification finds it.
/// </summary>
internal static class AuditSchema
{
    public const string Sql = """
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
        """;
}
