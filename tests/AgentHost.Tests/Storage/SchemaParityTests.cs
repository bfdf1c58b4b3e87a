using AgentHost.Core.Storage;
using AgentHost.Tests.Postgres;
using Microsoft.Data.Sqlite;

namespace AgentHost.Tests.Storage;

/// <summary>
/// Both dialects migrated from nothing hold the same schema: tables, columns (type class, nullability,
/// collation), primary keys and indexes; only the documented exceptions differ. PostgreSQL is the server
/// test.sh starts (AGENTHOST_TEST_POSTGRES); without it these tests fail, they are never skipped.
/// </summary>
public sealed class SchemaParityTests
{
    /// <summary>Where a dialect truly cannot match, each with its reason. A fact listed here that stops differing fails the test.</summary>
    public static readonly IReadOnlyList<(StoreDialect OnlyIn, string Fact, string Why)> Exceptions =
    [
        (StoreDialect.Postgres, "column run_tool_calls.ord: integer not null", "PostgreSQL has no rowid: ord is the insertion order SQLite reads from rowid (StoreDatabase.InsertionOrder)"),
        (StoreDialect.Postgres, "column approval_messages.ord: integer not null", "PostgreSQL has no rowid: ord is the insertion order SQLite reads from rowid (StoreDatabase.InsertionOrder)"),
        (StoreDialect.Postgres, "index audit_events.ix_audit_events_run (run_id, seq) partial", SearchKeys),
        (StoreDialect.Postgres, "index audit_events.ix_audit_events_agent (agent_id, seq) partial", SearchKeys),
        (StoreDialect.Postgres, "index audit_events.ix_audit_events_actor (actor, seq)", SearchKeys),
        (StoreDialect.Postgres, "index audit_events.ix_audit_events_type (type, seq)", SearchKeys),
        (StoreDialect.Postgres, "table audit_search_vectors", FullText),
        (StoreDialect.Postgres, "column audit_search_vectors.seq: integer not null", FullText),
        (StoreDialect.Postgres, "column audit_search_vectors.search_vector: other (tsvector) not null", FullText),
        (StoreDialect.Postgres, "primary key audit_search_vectors (seq)", FullText),
        (StoreDialect.Postgres, "index audit_search_vectors.ix_audit_search_vectors_search (search_vector)", FullText),
    ];

    private const string SearchKeys = "SQLite keeps audit search keys in a file of its own (migration 2, AuditSearchSchema): indexes in the log cost every durable commit a page write per index";

    private const string FullText = "SQLite keeps its free-text index in the search file too (FTS5, AuditSearchSchema); PostgreSQL's is a tsvector per event with a GIN index, written behind the log too (migration 25, PostgresAuditSearchIndexer)";

    [Fact]
    public async Task FreshDatabases_OfBothDialects_HoldTheSameSchema_ButForTheDocumentedExceptions()
    {
        var (sqlite, postgres) = await MigrateBothAsync(Schema.Migrations);

        var differences = Differences(sqlite, postgres);

        differences.Unexplained.ShouldBeEmpty(string.Join(Environment.NewLine, differences.Unexplained));
        differences.StaleExceptions.ShouldBeEmpty("these exceptions no longer differ: remove them");
        sqlite.ShouldContain("column agents.owner: text not null");
        sqlite.ShouldContain("column approvals.taint: text not null default '{}'");
        sqlite.ShouldContain("foreign key approval_votes (approval_id) references approvals (id)", "the rebuilt table keeps its reference");
        sqlite.ShouldContain("foreign key runs (agent_id) references agents (id)");
        sqlite.Count.ShouldBeGreaterThan(100, "the reader found the schema");
    }

    [Fact]
    public async Task Migrations1To14_DifferInTheDriftMigration15Fixes()
    {
        var (sqlite, postgres) = await MigrateBothAsync(Schema.Migrations.Where(m => m.Version <= 14).ToList());

        var differences = Differences(sqlite, postgres);

        // What the parity test finds on the schema as it stood before migration 15.
        differences.Unexplained.ShouldBe(
        [
            "only in Postgres: column agents.owner: text not null",
            "only in Postgres: column approval_votes.approver: text not null",
            "only in Postgres: index agents.ix_agents_owner (lower(owner))",
            "only in Sqlite: column agents.owner: text not null collate nocase",
            "only in Sqlite: column approval_votes.approver: text not null collate nocase",
            "only in Sqlite: index agents.ix_agents_owner (owner collate nocase)",
        ], ignoreOrder: true);
    }

    internal static async Task<(IReadOnlySet<string> Sqlite, IReadOnlySet<string> Postgres)> MigrateBothAsync(IReadOnlyList<Migration> migrations)
    {
        var file = Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"), "parity.db");
        var sqliteDatabase = new SqliteDatabase($"Data Source={file}");
        await SchemaMigrator.MigrateAsync(sqliteDatabase, migrations, CancellationToken.None);
        var sqlite = await SchemaShape.ReadAsync(sqliteDatabase, CancellationToken.None);
        SqliteConnection.ClearAllPools();

        await using var postgresDatabase = new PostgresDatabase(TestPostgres.Database(Guid.NewGuid().ToString("N")));
        await SchemaMigrator.MigrateAsync(postgresDatabase, migrations, CancellationToken.None);
        var postgres = await SchemaShape.ReadAsync(postgresDatabase, CancellationToken.None);
        return (sqlite, postgres);
    }

    private static (List<string> Unexplained, List<string> StaleExceptions) Differences(IReadOnlySet<string> sqlite, IReadOnlySet<string> postgres)
    {
        var onlyIn = sqlite.Except(postgres).Select(f => (StoreDialect.Sqlite, f))
            .Concat(postgres.Except(sqlite).Select(f => (StoreDialect.Postgres, f)))
            .ToHashSet();
        var excepted = Exceptions.Select(e => (e.OnlyIn, e.Fact)).ToHashSet();
        return (
            onlyIn.Except(excepted).Select(d => $"only in {d.Item1}: {d.Item2}").Order(StringComparer.Ordinal).ToList(),
            excepted.Except(onlyIn).Select(e => $"{e.Item1}: {e.Item2}").ToList());
    }
}
