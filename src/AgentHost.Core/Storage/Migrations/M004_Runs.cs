namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// Runs and their tool calls. PostgreSQL has no rowid, so its call rows carry <c>ord</c> for the order
/// they were inserted in (<see cref="StoreDatabase.InsertionOrder"/>).
/// </summary>
internal static class M004_Runs
{
    public static Migration Migration { get; } = new(4, "runs and their tool calls",
        Sqlite: """
            CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                agent_id TEXT NOT NULL REFERENCES agents (id),
                requester TEXT NOT NULL,
                input TEXT NOT NULL,
                status TEXT NOT NULL,
                turns INTEGER NOT NULL DEFAULT 0,
                input_tokens INTEGER NOT NULL DEFAULT 0,
                output_tokens INTEGER NOT NULL DEFAULT 0,
                output TEXT NULL,
                stop_reason TEXT NULL,
                history TEXT NULL,
                created_at INTEGER NOT NULL,
                finished_at INTEGER NULL
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
                PRIMARY KEY (run_id, call_id)
            );
            """,
        Postgres: """
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
            """);
}
