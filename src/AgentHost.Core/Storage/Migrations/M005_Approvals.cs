namespace AgentHost.Core.Storage.Migrations;

/// <summary>Approvals and their votes. The approver was case-insensitive in SQLite only; migration 15 stores it lower case in both.</summary>
internal static class M005_Approvals
{
    public static Migration Migration { get; } = new(5, "approvals",
        Sqlite: """
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
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                resumed INTEGER NOT NULL DEFAULT 0,
                UNIQUE (run_id, call_id)
            );
            CREATE INDEX ix_approvals_status ON approvals (status, expires_at);
            CREATE TABLE approval_votes (
                approval_id TEXT NOT NULL REFERENCES approvals (id),
                approver TEXT NOT NULL COLLATE NOCASE,
                decision TEXT NOT NULL,
                comment TEXT NULL,
                at INTEGER NOT NULL,
                PRIMARY KEY (approval_id, approver)
            );
            """,
        Postgres: """
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
            """);
}
