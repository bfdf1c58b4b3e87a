using System.Text.Json.Nodes;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Tests.Postgres;

/// <summary>
/// Free-text search on PostgreSQL, indexed behind the log: audit_search_vectors up to its watermark and
/// the function computed for the tail answer alike, and indexers of several processes index each event once.
/// </summary>
public sealed class PostgresAuditSearchTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "agenthost-pgsearch-" + Guid.NewGuid().ToString("N"));
    private PostgresDatabase _database = null!;
    private AuditLogWriter _writer = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _database = new PostgresDatabase(TestPostgres.Database(Guid.NewGuid().ToString("N")));
        await SchemaMigrator.MigrateAsync(_database, Schema.Migrations, CancellationToken.None);
        var options = new AuditOptions { KeyPath = Path.Combine(_directory, "key.pem"), CheckpointFile = Path.Combine(_directory, "checkpoints.log"), CheckpointInterval = TimeSpan.FromMinutes(10) };
        _writer = new AuditLogWriter(_database, options, SecretRedactor.None, CheckpointSigner.LoadOrCreate(options.KeyPath, options.Origin), TimeProvider.System, NullLogger<AuditLogWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task TheSameSearches_AnswerAlike_FromTheTail_HalfIndexed_AndFromTheIndex()
    {
        await SeedAsync();
        var searches = new AuditFilter[]
        {
            new(Text: "PRODUCTION"),
            new(Text: "prod*"),
            new(Text: "\"deploy to production\""),
            new(Text: "ZÜRICH 東京"),
            new(Text: "0123456789abcdef0123456789abcdef"),
            new(Text: "sam@example.com"),
            new(Function: "DEPLOY.create_deployment"),
            new(Decision: "Deny", Function: "deploy.create_deployment"),
            new(Rule: "FREEZE-production"),
            new(Rule: "freeze"),
            new(Person: "user:SAM@Example.com", Decision: "approve"),
            new(Actor: "approver:sam@example.com", Text: "approve"),
            new(Text: "production", RunId: "run-2", Type: AuditEventTypes.PolicyDecided, AgentId: "ag_2"),
            new(Text: "production", RunId: "run-1"),
        };
        long[][] expected =
        [
            [5, 3], [5, 3], [3], [6], [], [4, 2], [5, 3], [5], [5], [], [4], [4], [5], [],
        ];

        var tail = await Task.WhenAll(searches.Select(SeqsAsync));
        (await Indexer(batchSize: 4).IndexBatchAsync(CancellationToken.None)).ShouldBe(4);
        var half = await Task.WhenAll(searches.Select(SeqsAsync));
        (await Indexer().IndexBatchAsync(CancellationToken.None)).ShouldBe(2);
        var indexed = await Task.WhenAll(searches.Select(SeqsAsync));

        for (var i = 0; i < searches.Length; i++)
        {
            tail[i].ShouldBe(expected[i], searches[i].ToString());
            half[i].ShouldBe(expected[i], "half indexed: " + searches[i]);
            indexed[i].ShouldBe(expected[i], "indexed: " + searches[i]);
        }

        (await _database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_search_vectors", null, CancellationToken.None)).ShouldBe(6);
        (await Indexer().IndexBatchAsync(CancellationToken.None)).ShouldBe(0, "nothing new, nothing written");
    }

    [Fact]
    public async Task AnEventInTheTail_IsFoundBeforeTheIndexerRuns_AndOnceAfterIt()
    {
        await SeedAsync();
        await Indexer().IndexBatchAsync(CancellationToken.None);
        await AppendAsync(AuditActor.Approver("Sam@Example.com"), "ag_1", "run-1", new() { ["decision"] = "reject", ["comment"] = "not during the production freeze" });

        var before = await SeqsAsync(new AuditFilter(Text: "production freeze"));
        (await Indexer().IndexBatchAsync(CancellationToken.None)).ShouldBe(1);
        var after = await SeqsAsync(new AuditFilter(Text: "production freeze"));

        before.ShouldBe([7, 5]);
        after.ShouldBe(before);
    }

    [Fact]
    public async Task TwoIndexers_RunningAtOnce_IndexEveryEventExactlyOnce()
    {
        const int Events = 240;
        for (var i = 1; i <= Events; i++)
        {
            await AppendAsync(AuditActor.System, null, $"run_{i % 7}", new() { ["note"] = $"word{i} deploy" });
        }

        var first = Indexer(batchSize: 9);
        var second = Indexer(batchSize: 13);

        // Each stands for a process: it indexes until the table holds every event, whoever wrote the rows.
        async Task<int> IndexAllAsync(PostgresAuditSearchIndexer indexer)
        {
            var inserted = 0;
            while (await _database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_search_vectors", null, CancellationToken.None) < Events)
            {
                inserted += await indexer.IndexBatchAsync(CancellationToken.None);
            }

            return inserted;
        }

        var inserted = await Task.WhenAll(Task.Run(() => IndexAllAsync(first)), Task.Run(() => IndexAllAsync(second)), Task.Run(() => IndexAllAsync(first)));

        inserted.Sum().ShouldBe(Events, "each event inserted by exactly one batch");
        (await _database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_search_vectors v JOIN audit_events e ON e.seq = v.seq WHERE v.search_vector = audit_search_vector(e.type, e.actor, e.data)",
            null,
            CancellationToken.None)).ShouldBe(Events, "every vector is its event's");
        (await SeqsAsync(new AuditFilter(Text: "word17 DEPLOY"))).ShouldBe([17]);
        (await SeqsAsync(new AuditFilter(Text: "deploy"))).Length.ShouldBe(50, "a page");
    }

    private PostgresAuditSearchIndexer Indexer(int batchSize = PostgresAuditSearchIndexer.BatchSize) =>
        new(_database, TimeProvider.System, NullLogger<PostgresAuditSearchIndexer>.Instance, batchSize);

    /// <summary>The same six events as the SQLite tests (AuditTextSearchTests).</summary>
    private async Task SeedAsync()
    {
        await AppendAsync(AuditActor.Agent("ag_1"), "ag_1", "run-1", new() { ["function"] = "slack.post_message", ["arguments"] = new JsonObject { ["text"] = "All green" } });
        await AppendAsync(AuditActor.Employee("Sam@Example.com"), "ag_1", "run-1", new() { ["note"] = "started by hand" });
        await AppendAsync(AuditActor.Agent("ag_2"), "ag_2", "run-2", new() { ["function"] = "deploy.create_deployment", ["arguments"] = new JsonObject { ["environment"] = "Deploy to PRODUCTION" }, ["argumentsSha256"] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" });
        await AppendAsync(AuditActor.Approver("sam@example.com"), "ag_2", "run-2", new() { ["decision"] = "Approve", ["comment"] = "ok" });
        await AppendAsync(AuditActor.System, "ag_2", "run-2", new() { ["function"] = "Deploy.Create_Deployment", ["decision"] = "deny", ["rules"] = new JsonArray("freeze-production"), ["environment"] = "production" }, AuditEventTypes.PolicyDecided);
        await AppendAsync(AuditActor.Agent("ag_1"), "ag_1", "run-1", new() { ["text"] = "Zürich — 東京" });
    }

    private Task<AuditEvent> AppendAsync(AuditActor actor, string? agentId, string? runId, JsonObject data, string type = AuditEventTypes.ActionRequested) =>
        _writer.AppendAsync(new AuditEntry(type, actor, agentId, runId, data), CancellationToken.None);

    /// <summary>Newest first, checked against oldest first.</summary>
    private async Task<long[]> SeqsAsync(AuditFilter filter)
    {
        var reader = new AuditReader(_database);
        var newest = await reader.BrowseAsync(filter, null, null, 50, CancellationToken.None);
        var oldest = await reader.SearchAsync(filter, null, 50, CancellationToken.None);
        var seqs = newest.Events.Select(e => e.Sequence).ToArray();
        if (seqs.Length < 50)
        {
            oldest.Events.Select(e => e.Sequence).Reverse().ShouldBe(seqs, "oldest first is the same events");
        }

        return seqs;
    }
}
