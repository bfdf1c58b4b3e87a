namespace AgentHost.Core.Storage.Migrations;

internal static class M007_ApprovalTaint
{
    // The same words in both dialects.
    private const string Sql = "ALTER TABLE approvals ADD COLUMN taint TEXT NOT NULL DEFAULT '{}';";

    public static Migration Migration { get; } = new(7, "where tainted approval arguments came from", Sqlite: Sql, Postgres: Sql);
}
