namespace AgentHost.Core.Storage.Migrations;

internal static class M013_ApproverGroups
{
    // The same words in both dialects. Old approvals keep approver_group/required and read as one group;
    // old runs have no separate starter.
    private const string Sql = "ALTER TABLE approvals ADD COLUMN approver_groups TEXT NULL; ALTER TABLE runs ADD COLUMN started_by TEXT NULL;";

    public static Migration Migration { get; } = new(13, "every approver group an approval needs; who started a run", Sqlite: Sql, Postgres: Sql);
}
