using System.Globalization;
using AgentHost.Core.Storage;
using AgentHost.Tests.Postgres;
using Microsoft.Data.Sqlite;

namespace AgentHost.Tests.Storage;

/// <summary>Migration 15 on a database that migrations 1–14 filled with mixed-case addresses: lower case after, every row kept.</summary>
public sealed class LowerCaseEmailMigrationTests
{
    private static readonly string[] Seed =
    [
        "INSERT INTO agents (id, owner, definition, created_at, updated_at, version) VALUES ('ag_1', 'Alice@Example.COM', '{}', 1, 1, 1)",
        "INSERT INTO agents (id, owner, definition, created_at, updated_at, version) VALUES ('ag_2', 'bob@example.com', '{}', 2, 2, 1)",
        "INSERT INTO runs (id, agent_id, requester, input, status, created_at, started_by) VALUES ('run_1', 'ag_1', 'Carol@Example.com', 'x', 'queued', 1, 'Carol@Example.com')",
        "INSERT INTO runs (id, agent_id, requester, input, status, created_at) VALUES ('run_2', 'ag_2', 'BOB@example.com', 'x', 'queued', 2)",
        "INSERT INTO run_tool_calls (run_id, turn, call_id, function, arguments, decision, rules, outcome) VALUES ('run_1', 1, 'c1', 'f', '{}', 'allow', '[]', 'ok')",
        "INSERT INTO approvals (id, run_id, agent_id, owner, call_id, function, arguments, rules, approver_group, required, status, created_at, expires_at) VALUES ('ap_1', 'run_1', 'ag_1', 'Alice@Example.COM', 'c1', 'f', '{}', '[]', 'leads', 2, 'pending', 1, 9)",
        "INSERT INTO approval_votes (approval_id, approver, decision, at) VALUES ('ap_1', 'Dave@Example.com', 'approve', 5)",
        "INSERT INTO approval_votes (approval_id, approver, decision, at) VALUES ('ap_1', 'erin@example.com', 'approve', 6)",
        "INSERT INTO agent_scope_grants (agent_id, scope, value, granted_by, granted_at) VALUES ('ag_1', 'repo', 'a/b', 'Admin@Example.com', 1)",
        "INSERT INTO mailbox_cursors (agent_id, folder, uid_validity, last_uid) VALUES ('ag_1', 'INBOX', 1, 7)",
        "INSERT INTO run_origins (run_id, source, channel, thread) VALUES ('run_1', 'slack', 'C0ABC', '171.2')",
    ];

    private static readonly (string Table, string Column)[] Addresses =
    [
        ("agents", "owner"), ("approvals", "owner"), ("runs", "requester"), ("runs", "started_by"), ("approval_votes", "approver"), ("agent_scope_grants", "granted_by"),
    ];

    [Fact]
    public async Task Sqlite_LowerCasesEveryAddress_KeepsEveryRow_AndEveryReference()
    {
        var database = new SqliteDatabase($"Data Source={Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"), "upgrade.db")}");

        await UpgradeAsync(database);

        (await ScalarAsync(database, "SELECT COUNT(*) FROM pragma_foreign_key_check")).ShouldBe("0");
        (await ScalarAsync(database, "SELECT COUNT(*) FROM agents WHERE owner = 'alice@example.com'")).ShouldBe("1", "owners compare by plain equality now");
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Postgres_LowerCasesEveryAddress_KeepsEveryRow()
    {
        await using var database = new PostgresDatabase(TestPostgres.Database(Guid.NewGuid().ToString("N")));

        await UpgradeAsync(database);

        (await ScalarAsync(database, "SELECT COUNT(*) FROM agents WHERE owner = 'alice@example.com'")).ShouldBe("1");
    }

    [Fact]
    public async Task Postgres_OneApproverInTwoSpellings_KeepsBothVotes_TheFirstInLowerCase()
    {
        // PostgreSQL's key was case-sensitive: a vote twice in two spellings could be stored, SQLite's NOCASE refused it.
        await using var database = new PostgresDatabase(TestPostgres.Database(Guid.NewGuid().ToString("N")));
        await SchemaMigrator.MigrateAsync(database, Schema.Migrations.Where(m => m.Version <= 14).ToList(), CancellationToken.None);
        await ExecuteAsync(database, Seed.Take(6));
        await ExecuteAsync(database,
        [
            "INSERT INTO approval_votes (approval_id, approver, decision, at) VALUES ('ap_1', 'Frank@Example.com', 'approve', 5)",
            "INSERT INTO approval_votes (approval_id, approver, decision, at) VALUES ('ap_1', 'FRANK@example.com', 'approve', 6)",
            "INSERT INTO approval_votes (approval_id, approver, decision, at) VALUES ('ap_1', 'grace@example.com', 'approve', 7)",
            "INSERT INTO approval_votes (approval_id, approver, decision, at) VALUES ('ap_1', 'Grace@Example.com', 'reject', 3)",
        ]);

        await SchemaMigrator.MigrateAsync(database, Schema.Migrations, CancellationToken.None);

        (await ScalarAsync(database, "SELECT string_agg(approver, ' ' ORDER BY at) FROM approval_votes")).ShouldBe("Grace@Example.com frank@example.com FRANK@example.com grace@example.com");
    }

    private static async Task UpgradeAsync(StoreDatabase database)
    {
        await SchemaMigrator.MigrateAsync(database, Schema.Migrations.Where(m => m.Version <= 14).ToList(), CancellationToken.None);
        await ExecuteAsync(database, Seed);
        var before = await CountsAsync(database);

        (await SchemaMigrator.MigrateAsync(database, Schema.Migrations, CancellationToken.None)).ShouldBe(Schema.Migrations.Count - 14);

        (await CountsAsync(database)).ShouldBe(before);
        foreach (var (table, column) in Addresses)
        {
            (await ScalarAsync(database, $"SELECT COUNT(*) FROM {table} WHERE {column} <> lower({column})")).ShouldBe("0", $"{table}.{column}");
        }

        (await ScalarAsync(database, "SELECT owner || ' ' || requester || ' ' || started_by FROM runs JOIN agents ON agents.id = runs.agent_id WHERE runs.id = 'run_1'"))
            .ShouldBe("alice@example.com carol@example.com carol@example.com");
        (await ScalarAsync(database, "SELECT approver FROM approval_votes WHERE at = 5")).ShouldBe("dave@example.com");
        (await ScalarAsync(database, "SELECT channel FROM run_origins")).ShouldBe("C0ABC", "Slack ids are not addresses and keep their case");
    }

    private static async Task<string> CountsAsync(StoreDatabase database)
    {
        string[] tables = ["agents", "runs", "run_tool_calls", "approvals", "approval_votes", "agent_scope_grants", "mailbox_cursors", "run_origins"];
        var counts = new List<string>();
        foreach (var table in tables)
        {
            counts.Add($"{table}={await ScalarAsync(database, $"SELECT COUNT(*) FROM {table}")}");
        }

        return string.Join(" ", counts);
    }

    private static async Task ExecuteAsync(StoreDatabase database, IEnumerable<string> statements)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string?> ScalarAsync(StoreDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
