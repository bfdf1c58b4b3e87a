using System.Xml.Linq;
using AgentHost.Auth;
using AgentHost.Core.Storage;
using AgentHost.Tests.Postgres;

namespace AgentHost.Tests.Auth;

/// <summary>Data-protection keys in the store (migration 14), for processes that share PostgreSQL; both dialects.</summary>
public sealed class StoreXmlRepositoryTests
{
    [Fact]
    public Task Sqlite_KeepsEveryKey_AndTheFirstOfTwoWithOneName() => KeepsKeysAsync(new SqliteDatabase($"Data Source={Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"), "keys.db")}"));

    [Fact]
    public async Task Postgres_KeepsEveryKey_AndTheFirstOfTwoWithOneName()
    {
        await using var database = new PostgresDatabase(TestPostgres.Database(Guid.NewGuid().ToString("N")));
        await KeepsKeysAsync(database);
    }

    [Fact]
    public void Repository_IsTheStore_UnlessTheStoreIsASqliteFile()
    {
        var file = new SqliteDatabase($"Data Source={Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"), "a.db")}");
        var memory = new SqliteDatabase("Data Source=:memory:");

        DataProtectionRegistration.Repository(file, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .ShouldBeOfType<Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository>();
        DataProtectionRegistration.Repository(memory, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .ShouldBeOfType<StoreXmlRepository>();
    }

    private static async Task KeepsKeysAsync(StoreDatabase database)
    {
        await SchemaMigrator.MigrateAsync(database, Schema.Migrations, CancellationToken.None);
        var repository = new StoreXmlRepository(database, TimeProvider.System);

        repository.StoreElement(new XElement("key", new XAttribute("id", "one")), "key-one");
        repository.StoreElement(new XElement("key", new XAttribute("id", "two")), "key-two");
        repository.StoreElement(new XElement("key", new XAttribute("id", "impostor")), "key-one");

        var ids = repository.GetAllElements().Select(e => (string)e.Attribute("id")!).ToList();
        ids.Count.ShouldBe(2);
        ids.ShouldBe(["one", "two"], ignoreOrder: true);
        new StoreXmlRepository(database, TimeProvider.System).GetAllElements().Count.ShouldBe(2, "another process reads the same ring");
    }
}
