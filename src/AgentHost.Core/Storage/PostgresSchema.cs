namespace AgentHost.Core.Storage;

/// <summary>
/// The schema in PostgreSQL's words, version for version with SQLite's. Integers that hold microseconds
/// or sequence numbers are BIGINT, hashes BYTEA. The audit tables refuse UPDATE, DELETE and TRUNCATE by
/// trigger; deployments also grant the application role only INSERT and SELECT on them (docs/operations.md).
/// </summary>
internal static class PostgresSchema
{
    public const string Audit = """
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
        """;

    /// <summary>SQLite moved its search keys out of the log; PostgreSQL keeps its indexes.</summary>
    public const string Nothing = "SELECT 1;";

    public const string Agents = """
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
        """;

    public const string Runs = """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            agent_id TEXT NOT NULL REFERENCES agents (id),
            requester TEXT NOT NULL,
            input TEXT NOT NULL,
            status TEXT NOT NULL,
            turns INTEGER NOT NULL DEFAULT 0,
            input_tokens BIGINT NOT NULL DEFAULT 0,
            output_tokens BIGINT NOT NULL DEFAULT 0,
            output TEXT NULL,
            stop_reason TEXT NULL,
            history TEXT NULL,
            created_at BIGINT NOT NULL,
            finished_at BIGINT NULL
        );
        CREATE INDEX ix_runs_agent ON runs (agent_id, created_at);
        CREATE INDEX ix_runs_status ON runs (status);
        CREATE TABLE run_tool_calls (
            run_id TEXT NOT NULL REFERENCES runs (id),
            turn INTEGER NOT NULL,
            call_id TEXT NOT NULL,
            function TEXT NOT NULL,
            arguments TEXT NOT NULL,
            decision TEXT NOT NULL,
            rules TEXT NOT NULL,
            outcome TEXT NOT NULL,
            result_summary TEXT NULL,
            ord BIGINT GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (run_id, call_id)
        );
        """;

    public const string Approvals = """
        CREATE TABLE approvals (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs (id),
            agent_id TEXT NOT NULL,
            owner TEXT NOT NULL,
            call_id TEXT NOT NULL,
            function TEXT NOT NULL,
            arguments TEXT NOT NULL,
            rules TEXT NOT NULL,
            approver_group TEXT NOT NULL,
            required INTEGER NOT NULL,
            status TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            resumed INTEGER NOT NULL DEFAULT 0,
            UNIQUE (run_id, call_id)
        );
        CREATE INDEX ix_approvals_status ON approvals (status, expires_at);
        CREATE TABLE approval_votes (
            approval_id TEXT NOT NULL REFERENCES approvals (id),
            approver TEXT NOT NULL,
            decision TEXT NOT NULL,
            comment TEXT NULL,
            at BIGINT NOT NULL,
            PRIMARY KEY (approval_id, approver)
        );
        """;

    public const string Notifications = """
        CREATE TABLE approval_messages (
            approval_id TEXT NOT NULL REFERENCES approvals (id),
            destination TEXT NOT NULL,
            channel TEXT NOT NULL,
            ts TEXT NOT NULL,
            ord BIGINT GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (approval_id, destination)
        );
        CREATE TABLE inbound_events (
            source TEXT NOT NULL,
            event_id TEXT NOT NULL,
            received_at BIGINT NOT NULL,
            PRIMARY KEY (source, event_id)
        );
        CREATE TABLE run_origins (
            run_id TEXT PRIMARY KEY REFERENCES runs (id),
            source TEXT NOT NULL,
            channel TEXT NOT NULL,
            thread TEXT NOT NULL,
            replied INTEGER NOT NULL DEFAULT 0
        );
        """;

    public const string ApprovalTaint = "ALTER TABLE approvals ADD COLUMN taint TEXT NOT NULL DEFAULT '{}';";

    public const string CanonicalCalls = """
        ALTER TABLE approvals ADD COLUMN arguments_sha256 TEXT NULL;
        ALTER TABLE run_tool_calls ADD COLUMN model_call_id TEXT NULL;
        ALTER TABLE run_tool_calls ADD COLUMN arguments_sha256 TEXT NULL;
        ALTER TABLE run_tool_calls ADD COLUMN effect TEXT NULL;
        ALTER TABLE run_tool_calls ADD COLUMN started_at BIGINT NULL;
        CREATE INDEX ix_run_tool_calls_started ON run_tool_calls (started_at);
        """;

    public const string RunLeases = "ALTER TABLE runs ADD COLUMN lease_owner TEXT NULL; ALTER TABLE runs ADD COLUMN lease_until BIGINT NULL;";

    public const string MailboxCursors = """
        CREATE TABLE mailbox_cursors (
            agent_id TEXT NOT NULL REFERENCES agents (id),
            folder TEXT NOT NULL,
            uid_validity BIGINT NOT NULL,
            last_uid BIGINT NOT NULL,
            PRIMARY KEY (agent_id, folder)
        );
        """;
}
