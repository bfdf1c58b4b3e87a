namespace AgentHost.Core.Storage.Migrations;

internal static class M010_ApprovalsByAgent
{
    // The same words in both dialects; runs already have (agent_id, created_at) from migration 4.
    private const string Sql = "CREATE INDEX ix_approvals_agent ON approvals (agent_id, created_at);";

    public static Migration Migration { get; } = new(10, "approvals counted per agent and hour", Sqlite: Sql, Postgres: Sql);
}
