namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// When an approval was settled (decided, expired or cancelled), so pages show that moment rather than
/// its deadline; and who threw an agent's kill switch, when and why, so the agent page can say so and
/// the switch can be undone knowingly. Null on rows from before: nothing is invented for them.
/// </summary>
internal static class M019_RunControl
{
    // The same words in both dialects; times are microseconds since the epoch (StoreTime).
    private const string Sqlite = """
        ALTER TABLE approvals ADD COLUMN decided_at INTEGER NULL;
        ALTER TABLE agents ADD COLUMN disabled_by TEXT NULL;
        ALTER TABLE agents ADD COLUMN disabled_at INTEGER NULL;
        ALTER TABLE agents ADD COLUMN disabled_reason TEXT NULL;
        """;

    private const string Postgres = """
        ALTER TABLE approvals ADD COLUMN decided_at BIGINT NULL;
        ALTER TABLE agents ADD COLUMN disabled_by TEXT NULL;
        ALTER TABLE agents ADD COLUMN disabled_at BIGINT NULL;
        ALTER TABLE agents ADD COLUMN disabled_reason TEXT NULL;
        """;

    public static Migration Migration { get; } = new(19, "when approvals were settled; who disabled an agent, when and why", Sqlite, Postgres);
}
