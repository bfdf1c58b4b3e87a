namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// SQLite moves its audit search keys out of the log into a file of their own
/// (<see cref="Audit.AuditSearchSchema"/>): indexing the log made every durable commit rewrite a page per
/// index. PostgreSQL keeps its indexes, so it has nothing to do here.
/// </summary>
internal static class M002_AuditSearchKeys
{
    public static Migration Migration { get; } = new(2, "audit search keys apart from the log",
        Sqlite: """
            DROP INDEX IF EXISTS ix_audit_events_run;
            DROP INDEX IF EXISTS ix_audit_events_agent;
            DROP INDEX IF EXISTS ix_audit_events_actor;
            DROP INDEX IF EXISTS ix_audit_events_type;
            """,
        Postgres: "SELECT 1;");
}
