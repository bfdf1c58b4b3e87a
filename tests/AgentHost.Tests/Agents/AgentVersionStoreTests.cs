using AgentHost.Core.Agents;
using AgentHost.Core.Agents.History;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using AgentHost.Tests.Infrastructure;
using AgentHost.Tests.Storage;

namespace AgentHost.Tests.Agents;

/// <summary>
/// The store's side of agent history, on SQLite or PostgreSQL (AGENTHOST_TEST_STORE=postgres): a version per
/// save written with the row, none for a save that changes nothing, distinct numbers under concurrent saves,
/// the version a run was created at, and migration 23's baseline for agents that existed before it.
/// </summary>
public sealed class AgentVersionStoreTests
{
    private static readonly AgentDefinition Definition = new("Triage", null, "Sort the inbox.", null, ["slack.read_channel"],
        new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["C0OPS"] }, null, null);

    private static AgentStore Agents(StoreDatabase database) => new(database, TimeProvider.System, TestCatalog.Standard);

    [Fact]
    public async Task CreateAndUpdate_WriteVersionsWithTheRow_AndAnIdenticalSaveWritesNothing()
    {
        var database = await TestStore.CreateAsync();
        var agents = Agents(database);
        var versions = new AgentVersionStore(database);

        var created = await agents.CreateAsync("Alice@Example.com", Definition, CancellationToken.None);
        var renamed = (await agents.UpdateAsync(created, Definition with { Name = "Inbox triage" }, "root@example.com", CancellationToken.None))!;
        var same = (await agents.UpdateAsync(renamed.Agent, Definition with { Name = "Inbox triage", Scopes = new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["c0ops "] } }, "alice@example.com", CancellationToken.None))!;

        created.DefinitionVersion.ShouldBe(1);
        renamed.Agent.DefinitionVersion.ShouldBe(2);
        renamed.Diff.Changes.ShouldHaveSingleItem().Field.ShouldBe("name");
        same.Diff.IsEmpty.ShouldBeTrue();
        same.Agent.ShouldBeSameAs(renamed.Agent);
        var stored = (await agents.GetAsync(created.Id, CancellationToken.None))!;
        (stored.Version, stored.DefinitionVersion).ShouldBe((2, 2));
        var history = await versions.ListAsync(created.Id, 100, CancellationToken.None);
        history.Select(v => v.Version).ShouldBe([2, 1]);
        history.Select(v => v.SavedBy).ShouldBe(["root@example.com", "alice@example.com"]);
        history[0].Diff.Changes.ShouldHaveSingleItem().Before.ShouldBe("Triage");
        history[1].Diff.Changes.Select(c => c.Field).ShouldContain("instructions");
        (await versions.GetAsync(created.Id, 1, CancellationToken.None))!.Definition.Name.ShouldBe("Triage");
        (await versions.GetAsync(created.Id, 3, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task ConcurrentSaves_OfOneVersion_OneWins_AndRetriesGetDistinctIncreasingVersions()
    {
        var database = await TestStore.CreateAsync();
        var agents = Agents(database);
        var agent = await agents.CreateAsync("alice@example.com", Definition, CancellationToken.None);

        // Eight editors save the same version at once: exactly one wins, the others are told it changed.
        var race = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => agents.UpdateAsync(agent, Definition with { Name = $"race {i}" }, "alice@example.com", CancellationToken.None))));
        race.Count(r => r is not null).ShouldBe(1);

        // Each then re-reads and retries until it wins, as the API's caller does on 409.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            while (true)
            {
                var current = (await agents.GetAsync(agent.Id, CancellationToken.None))!;
                if (await agents.UpdateAsync(current, Definition with { Name = $"editor {i}" }, "alice@example.com", CancellationToken.None) is not null)
                {
                    return;
                }
            }
        })));

        var history = await new AgentVersionStore(database).ListAsync(agent.Id, 100, CancellationToken.None);
        history.Select(v => v.Version).ShouldBe(Enumerable.Range(1, 10).Reverse().Select(v => (long)v));
        (await agents.GetAsync(agent.Id, CancellationToken.None))!.DefinitionVersion.ShouldBe(10);
        // Each diff starts where the version before it ended: no save was lost between two others.
        var oldestFirst = history.Reverse().ToList();
        for (var i = 1; i < oldestFirst.Count; i++)
        {
            oldestFirst[i].Diff.Changes.ShouldHaveSingleItem().Before.ShouldBe(oldestFirst[i - 1].Definition.Name);
            oldestFirst[i].Diff.Changes.Single().After.ShouldBe(oldestFirst[i].Definition.Name);
        }
    }

    [Fact]
    public async Task Run_RecordsTheVersionItWasCreatedAt_AndADriveOfANewerOne()
    {
        var database = await TestStore.CreateAsync();
        var agents = Agents(database);
        var runs = new RunStore(database, TimeProvider.System);
        var agent = await agents.CreateAsync("alice@example.com", Definition, CancellationToken.None);
        var first = await runs.CreateAsync(agent.Id, "alice@example.com", "go", CancellationToken.None);
        var saved = (await agents.UpdateAsync(agent, Definition with { Instructions = "Sort the inbox.\nFlag invoices." }, "alice@example.com", CancellationToken.None))!;
        var second = await runs.CreateOnceAsync(agent.Id, "alice@example.com", "go", "test", "event-1", null, CancellationToken.None);

        first.AgentVersion.ShouldBe(1);
        second!.AgentVersion.ShouldBe(2);
        (await runs.GetAsync(first.Id, CancellationToken.None))!.AgentVersion.ShouldBe(1);
        (await runs.GetAsync(second.Id, CancellationToken.None))!.AgentVersion.ShouldBe(2);
        await runs.RecordAgentVersionAsync(first.Id, saved.Agent.DefinitionVersion, CancellationToken.None);
        (await runs.GetAsync(first.Id, CancellationToken.None))!.AgentVersion.ShouldBe(2);
    }

    [Fact]
    public async Task Migration23_GivesExistingAgentsABaselineVersion_AndLeavesOldRunsUnversioned()
    {
        var database = TestPostgres.HostTestsOnPostgres
            ? (StoreDatabase)new PostgresDatabase(TestPostgres.Database(Guid.NewGuid().ToString("N")))
            : new SqliteDatabase($"Data Source={Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"), "store.db")}");
        await SchemaMigrator.MigrateAsync(database, Schema.Migrations.Where(m => m.Version < 23).ToList(), CancellationToken.None);
        await database.ExecuteAsync(
            "INSERT INTO agents (id, owner, definition, created_at, updated_at, version) VALUES ('ag_old', 'alice@example.com', @definition, 1, 7, 4)",
            new { definition = System.Text.Json.JsonSerializer.Serialize(Definition, AgentStore.Json) },
            CancellationToken.None);
        await database.ExecuteAsync("INSERT INTO runs (id, agent_id, requester, input, status, created_at) VALUES ('run_old', 'ag_old', 'alice@example.com', 'x', 'succeeded', 2)", null, CancellationToken.None);

        await SchemaMigrator.MigrateAsync(database, Schema.Migrations, CancellationToken.None);

        var agent = (await Agents(database).GetAsync("ag_old", CancellationToken.None))!;
        agent.DefinitionVersion.ShouldBe(1);
        var baseline = (await new AgentVersionStore(database).ListAsync("ag_old", 10, CancellationToken.None)).ShouldHaveSingleItem();
        (baseline.Version, baseline.SavedBy, baseline.Diff.Baseline, baseline.Definition.Name).ShouldBe((1L, "alice@example.com", true, "Triage"));
        baseline.SavedAt.ShouldBe(StoreTime.FromMicroseconds(7));
        (await new RunStore(database, TimeProvider.System).GetAsync("run_old", CancellationToken.None))!.AgentVersion.ShouldBeNull();
        var next = (await Agents(database).UpdateAsync(agent, Definition with { Name = "Triage 2" }, "alice@example.com", CancellationToken.None))!;
        next.Agent.DefinitionVersion.ShouldBe(2);
    }
}
