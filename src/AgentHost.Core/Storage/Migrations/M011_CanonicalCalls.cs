namespace AgentHost.Core.Storage.Migrations;

internal static class M011_CanonicalCalls
{
    public static Migration Migration { get; } = new(11, "canonical calls: the host's call id, the arguments' hash, effects counted per minute",
        Sqlite: """
            ALTER TABLE approvals ADD COLUMN arguments_sha256 TEXT NULL;
            ALTER TABLE run_tool_calls ADD COLUMN model_call_id TEXT NULL;
            ALTER TABLE run_tool_calls ADD COLUMN arguments_sha256 TEXT NULL;
            ALTER TABLE run_tool_calls ADD COLUMN effect TEXT NULL;
            ALTER TABLE run_tool_calls ADD COLUMN started_at INTEGER NULL;
            CREATE INDEX ix_run_tool_calls_started ON run_tool_calls (started_at);
            """,
        Postgres: """
            ALTER TABLE approvals ADD COLUMN arguments_sha256 TEXT NULL;
            ALTER TABLE run_tool_calls ADD COLUMN model_call_id TEXT NULL;
            ALTER TABLE run_tool_calls ADD COLUMN arguments_sha256 TEXT NULL;
            ALTER TABLE run_tool_calls ADD COLUMN effect TEXT NULL;
            ALTER TABLE run_tool_calls ADD COLUMN started_at BIGINT NULL;
            CREATE INDEX ix_run_tool_calls_started ON run_tool_calls (started_at);
            """);
}
