namespace AgentHost.Core.Storage.Migrations;

internal static class M008_MailboxCursors
{
    public static Migration Migration { get; } = new(8, "how far each email arrival trigger got in its folders",
        Sqlite: """
            CREATE TABLE mailbox_cursors (
                agent_id TEXT NOT NULL REFERENCES agents (id),
                folder TEXT NOT NULL,
                uid_validity INTEGER NOT NULL,
                last_uid INTEGER NOT NULL,
                PRIMARY KEY (agent_id, folder)
            );
            """,
        Postgres: """
            CREATE TABLE mailbox_cursors (
                agent_id TEXT NOT NULL REFERENCES agents (id),
                folder TEXT NOT NULL,
                uid_validity BIGINT NOT NULL,
                last_uid BIGINT NOT NULL,
                PRIMARY KEY (agent_id, folder)
            );
            """);
}
