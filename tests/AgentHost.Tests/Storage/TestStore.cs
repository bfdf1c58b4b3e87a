using AgentHost.Core.Storage;
using AgentHost.Tests.Postgres;

namespace AgentHost.Tests.Storage;

/// <summary>A migrated empty store: SQLite in a temporary file, or PostgreSQL with AGENTHOST_TEST_STORE=postgres.</summary>
public static class TestStore
{
    public static async Task<StoreDatabase> CreateAsync()
    {
        StoreDatabase database = TestPostgres.HostTestsOnPostgres
            ? new PostgresDatabase(TestPostgres.Database(Guid.NewGuid().ToString("N")))
            : new SqliteDatabase($"Data Source={Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"), "store.db")}");
        await SchemaMigrator.MigrateAsync(database, Schema.Migrations, CancellationToken.None);
        return database;
    }
}
