namespace AgentHost.Core.Storage.Migrations;

/// <summary>Chat messages posted per approval, inbound events seen once, where a run was asked for.</summary>
internal static class M006_Notifications
{
    public static Migration Migration { get; } = new(6, "messages posted, inbound events seen, where runs were asked for",
        Sqlite: """
            CREATE TABLE approval_messages (
                approval_id TEXT NOT NULL REFERENCES approvals (id),
                destination TEXT NOT NULL,
                channel TEXT NOT NULL,
                ts TEXT NOT NULL,
                PRIMARY KEY (approval_id, destination)
            );
            CREATE TABLE inbound_events (
                source TEXT NOT NULL,
                event_id TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                PRIMARY KEY (source, event_id)
            );
            CREATE TABLE run_origins (
                run_id TEXT PRIMARY KEY REFERENCES runs (id),
                source TEXT NOT NULL,
                channel TEXT NOT NULL,
                thread TEXT NOT NULL,
                replied INTEGER NOT NULL DEFAULT 0
            );
            """,
        Postgres: """
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
            """);
}
