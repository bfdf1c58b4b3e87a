namespace AgentHost.Core.EmailArrivals;

internal static class EmailArrivalSchema
{
    public const string Sql = """
        CREATE TABLE mailbox_cursors (
            agent_id TEXT NOT NULL REFERENCES agents (id),
            folder TEXT NOT NULL,
            uid_validity INTEGER NOT NULL,
            last_uid INTEGER NOT NULL,
            PRIMARY KEY (agent_id, folder)
        );
        """;
}
