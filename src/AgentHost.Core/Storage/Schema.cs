namespace AgentHost.Core.Storage;

/// <summary>The schema of the store, in order. Add a feature's tables as a new migration at the end.</summary>
public static class Schema
{
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "audit trail", Audit.AuditSchema.Sql, PostgresSchema.Audit),
        new(2, "audit search keys apart from the log", Audit.AuditSearchSchema.DropLogIndexes, PostgresSchema.Nothing),
        new(3, "agents", Agents.AgentSchema.Sql, PostgresSchema.Agents),
        new(4, "runs and their tool calls", Runs.RunSchema.Sql, PostgresSchema.Runs),
        new(5, "approvals", Approvals.ApprovalSchema.Sql, PostgresSchema.Approvals),
        new(6, "messages posted, inbound events seen, where runs were asked for", Notifications.NotificationSchema.Sql, PostgresSchema.Notifications),
        new(7, "where tainted approval arguments came from", "ALTER TABLE approvals ADD COLUMN taint TEXT NOT NULL DEFAULT '{}';", PostgresSchema.ApprovalTaint),
        new(8, "how far each email arrival trigger got in its folders", EmailArrivals.EmailArrivalSchema.Sql, PostgresSchema.MailboxCursors),
        new(9, "which process executes a running run, and until when", "ALTER TABLE runs ADD COLUMN lease_owner TEXT NULL; ALTER TABLE runs ADD COLUMN lease_until INTEGER NULL;", PostgresSchema.RunLeases),
        new(10, "approvals counted per agent and hour", ApprovalsByAgent, ApprovalsByAgent),
        new(11, "canonical calls: the host's call id, the arguments' hash, effects counted per minute", CanonicalCalls, PostgresSchema.CanonicalCalls),
        new(12, "scope values an admin granted an agent beyond its owner's authority", Agents.ScopeGrantStore.Sql, Agents.ScopeGrantStore.Sql),
        new(13, "every approver group an approval needs; who started a run", ApproverGroups, ApproverGroups),
        new(14, "data-protection keys shared by the processes of one deployment", DataProtectionKeys, DataProtectionKeys),
        global::AgentHost.Core.Storage.Migrations.M016_InboundPayloads.Migration,
    ];

    private const string CanonicalCalls = """
        ALTER TABLE approvals ADD COLUMN arguments_sha256 TEXT NULL;
        ALTER TABLE run_tool_calls ADD COLUMN model_call_id TEXT NULL;
        ALTER TABLE run_tool_calls ADD COLUMN arguments_sha256 TEXT NULL;
        ALTER TABLE run_tool_calls ADD COLUMN effect TEXT NULL;
        ALTER TABLE run_tool_calls ADD COLUMN started_at INTEGER NULL;
        CREATE INDEX ix_run_tool_calls_started ON run_tool_calls (started_at);
        """;

    // The same words in both dialects: the XML of each ASP.NET Core data-protection key, by its friendly name.
    private const string DataProtectionKeys = "CREATE TABLE data_protection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL, created_at TEXT NOT NULL);";

    // The same words in both dialects; runs already have (agent_id, created_at) from migration 4.
    // Old approvals keep approver_group/required and read as one group; old runs have no separate starter.
    private const string ApproverGroups = "ALTER TABLE approvals ADD COLUMN approver_groups TEXT NULL; ALTER TABLE runs ADD COLUMN started_by TEXT NULL;";

    private const string ApprovalsByAgent = "CREATE INDEX ix_approvals_agent ON approvals (agent_id, created_at);";
}
