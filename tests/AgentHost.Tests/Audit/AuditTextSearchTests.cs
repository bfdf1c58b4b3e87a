using System.Text.Json.Nodes;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Tests.Audit;

/// <summary>
/// Free-text search on SQLite: the FTS5 index of the search file up to its watermark and the unindexed
/// tail answer alike, every filter in any case, newest first, pages stable while events arrive.
/// (The same searches through the API run on both stores in Host/AuditSearchEndpointTests.)
/// </summary>
public sealed class AuditTextSearchTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheSameSearches_AnswerAlike_FromTheIndexAndFromTheUnindexedTail(bool indexed)
    {
        await using var log = await AuditLogFixture.StartAsync();
        await SeedAsync(log);
        if (indexed)
        {
            (await Indexer(log).IndexBatchAsync(CancellationToken.None)).ShouldBe(6);
        }

        (await SeqsAsync(log, new AuditFilter(Text: "PRODUCTION"))).ShouldBe([5, 3]);
        (await SeqsAsync(log, new AuditFilter(Text: "prod*"))).ShouldBe([5, 3]);
        (await SeqsAsync(log, new AuditFilter(Text: "pr*"))).ShouldBeEmpty("a prefix needs three characters; 'pr' is a whole word here");
        (await SeqsAsync(log, new AuditFilter(Text: "\"deploy to production\""))).ShouldBe([3]);
        (await SeqsAsync(log, new AuditFilter(Text: "NEAR(deploy production) -\"x\" OR"))).ShouldBeEmpty("OR and NEAR are words no event holds");
        (await SeqsAsync(log, new AuditFilter(Text: "deploy* production*"))).ShouldBe([5, 3]);
        (await SeqsAsync(log, new AuditFilter(Text: "zürich"))).ShouldBe([6]);
        (await SeqsAsync(log, new AuditFilter(Text: "ZÜRICH 東京"))).ShouldBe([6]);
        (await SeqsAsync(log, new AuditFilter(Text: "0123456789abcdef0123456789abcdef"))).ShouldBeEmpty("hashes are not words");
        (await SeqsAsync(log, new AuditFilter(Text: "sam@example.com"))).ShouldBe([4, 2], "the actor's words");
        (await SeqsAsync(log, new AuditFilter(Function: "DEPLOY.create_deployment"))).ShouldBe([5, 3]);
        (await SeqsAsync(log, new AuditFilter(Decision: "Deny", Function: "deploy.create_deployment"))).ShouldBe([5]);
        (await SeqsAsync(log, new AuditFilter(Rule: "FREEZE-production"))).ShouldBe([5]);
        (await SeqsAsync(log, new AuditFilter(Rule: "freeze"))).ShouldBeEmpty("a rule is matched whole");
        (await SeqsAsync(log, new AuditFilter(Person: "sam@example.com"))).ShouldBe([4, 2]);
        (await SeqsAsync(log, new AuditFilter(Person: "user:SAM@Example.com", Decision: "approve"))).ShouldBe([4]);
        (await SeqsAsync(log, new AuditFilter(Actor: "approver:sam@example.com", Text: "approve"))).ShouldBe([4]);
        (await SeqsAsync(log, new AuditFilter(Person: "am@example.com"))).ShouldBeEmpty();
        (await SeqsAsync(log, new AuditFilter(Text: "production", RunId: "run-1"))).ShouldBeEmpty();
        (await SeqsAsync(log, new AuditFilter(Text: "production", RunId: "run-2"))).ShouldBe([5, 3]);
        (await SeqsAsync(log, new AuditFilter(Text: "production", Type: AuditEventTypes.PolicyDecided, AgentId: "ag_2"))).ShouldBe([5]);
        (await SeqsAsync(log, new AuditFilter(Text: "production", From: log.Time.GetUtcNow().AddMilliseconds(-2), To: log.Time.GetUtcNow()))).ShouldBeEmpty();
        (await SeqsAsync(log, new AuditFilter(Text: "deploy", From: Start.AddMilliseconds(3 * 4), To: Start.AddMilliseconds(3 * 5 + 1)))).ShouldBe([5]);
    }

    [Fact]
    public async Task AnEventInTheTail_IsFoundBeforeTheIndexerRuns_AndOnceAfterIt()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await SeedAsync(log);
        await Indexer(log).IndexBatchAsync(CancellationToken.None);
        await AppendAsync(log, AuditActor.Approver("Sam@Example.com"), "ag_1", "run-1", new() { ["decision"] = "reject", ["comment"] = "not during the production freeze" });

        var before = await SeqsAsync(log, new AuditFilter(Text: "production freeze"));
        await Indexer(log).IndexBatchAsync(CancellationToken.None);
        var after = await SeqsAsync(log, new AuditFilter(Text: "production freeze"));

        before.ShouldBe([7, 5]);
        after.ShouldBe(before);
    }

    [Fact]
    public async Task AgentName_InAnotherCase_FindsEveryAgentOfThatName_AndAnUnknownNameFindsNothing()
    {
        await using var log = await AuditLogFixture.StartAsync();
        var agents = new AgentStore(log.Database, log.Time);
        var first = await agents.CreateAsync("alice@example.com", Definition("Release Bot"), CancellationToken.None);
        var second = await agents.CreateAsync("bob@example.com", Definition("release bot"), CancellationToken.None);
        var other = await agents.CreateAsync("bob@example.com", Definition("Release Bot 2"), CancellationToken.None);
        foreach (var id in new[] { first.Id, other.Id, second.Id })
        {
            await AppendAsync(log, AuditActor.Agent(id), id, "run-1", new() { ["function"] = "deploy.create_deployment" });
        }

        await Indexer(log).IndexBatchAsync(CancellationToken.None);
        await AppendAsync(log, AuditActor.Agent(first.Id), first.Id, "run-1", new() { ["function"] = "slack.post_message" });

        (await SeqsAsync(log, new AuditFilter(AgentName: "RELEASE BOT"))).ShouldBe([4, 3, 1]);
        (await SeqsAsync(log, new AuditFilter(AgentName: "release bot", Function: "deploy.create_deployment"))).ShouldBe([3, 1]);
        (await SeqsAsync(log, new AuditFilter(AgentName: "Release"))).ShouldBeEmpty("a name is matched whole");
    }

    [Fact]
    public async Task PagesNewestFirst_MeetWithoutGapsOrRepeats_WhileEventsArrive()
    {
        await using var log = await AuditLogFixture.StartAsync();
        for (var i = 0; i < 30; i++)
        {
            await AppendAsync(log, AuditActor.System, null, null, new() { ["note"] = i % 3 == 0 ? "deploy production" : "other" });
            if (i == 12)
            {
                await Indexer(log).IndexBatchAsync(CancellationToken.None);
            }
        }

        var filter = new AuditFilter(Text: "deploy");
        var seen = new List<long>();
        long? before = null;
        do
        {
            var page = await log.Reader.BrowseAsync(filter, before, null, 4, CancellationToken.None);
            seen.AddRange(page.Events.Select(e => e.Sequence));
            await AppendAsync(log, AuditActor.System, null, null, new() { ["note"] = "deploy production, newer than the first page" });
            before = page.Older;
        }
        while (before is not null);

        seen.ShouldBe([.. Enumerable.Range(0, 30).Where(i => i % 3 == 0).Select(i => (long)i + 1).Reverse()]);
        var ascending = await log.Reader.SearchAsync(filter, 10, 3, CancellationToken.None);
        ascending.Events.Select(e => e.Sequence).ShouldBe([13, 16, 19]);
    }

    [Fact]
    public async Task ASearchFile_FromBeforeTheTextIndex_IsIndexedFromTheFirstEvent()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await SeedAsync(log);
        await Indexer(log).IndexBatchAsync(CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={AuditSearchSchema.SearchFilePath(log.DatabasePath)};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE audit_text; DROP TABLE audit_text_state;";
            await drop.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        (await SeqsAsync(log, new AuditFilter(Text: "production"))).ShouldBe([5, 3], "before the indexer comes by, all of it is tail");
        await Indexer(log).IndexBatchAsync(CancellationToken.None);

        (await SeqsAsync(log, new AuditFilter(Text: "production"))).ShouldBe([5, 3]);
        (await log.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events", null, CancellationToken.None)).ShouldBe(6);
    }

    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Six events, three milliseconds apart from <see cref="Start"/>.</summary>
    private static async Task SeedAsync(AuditLogFixture log)
    {
        await AppendAsync(log, AuditActor.Agent("ag_1"), "ag_1", "run-1", new() { ["function"] = "slack.post_message", ["arguments"] = new JsonObject { ["text"] = "All green" } });
        await AppendAsync(log, AuditActor.Employee("Sam@Example.com"), "ag_1", "run-1", new() { ["note"] = "started by hand" });
        await AppendAsync(log, AuditActor.Agent("ag_2"), "ag_2", "run-2", new() { ["function"] = "deploy.create_deployment", ["arguments"] = new JsonObject { ["environment"] = "Deploy to PRODUCTION" }, ["argumentsSha256"] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" });
        await AppendAsync(log, AuditActor.Approver("sam@example.com"), "ag_2", "run-2", new() { ["decision"] = "Approve", ["comment"] = "ok" });
        await AppendAsync(log, AuditActor.System, "ag_2", "run-2", new() { ["function"] = "Deploy.Create_Deployment", ["decision"] = "deny", ["rules"] = new JsonArray("freeze-production"), ["environment"] = "production" }, AuditEventTypes.PolicyDecided);
        await AppendAsync(log, AuditActor.Agent("ag_1"), "ag_1", "run-1", new() { ["text"] = "Zürich — 東京" });
    }

    private static async Task AppendAsync(AuditLogFixture log, AuditActor actor, string? agentId, string? runId, JsonObject data, string type = AuditEventTypes.ActionRequested)
    {
        log.Time.Advance(TimeSpan.FromMilliseconds(3));
        await log.Writer.AppendAsync(new AuditEntry(type, actor, agentId, runId, data), CancellationToken.None);
    }

    private static async Task<long[]> SeqsAsync(AuditLogFixture log, AuditFilter filter)
    {
        var newest = await log.Reader.BrowseAsync(filter, null, null, 50, CancellationToken.None);
        var oldest = await log.Reader.SearchAsync(filter, null, 50, CancellationToken.None);
        var seqs = newest.Events.Select(e => e.Sequence).ToArray();
        oldest.Events.Select(e => e.Sequence).Reverse().ShouldBe(seqs, "oldest first is the same events");
        return seqs;
    }

    private static AuditSearchIndexer Indexer(AuditLogFixture log) => new(log.Database, log.Time, NullLogger<AuditSearchIndexer>.Instance);

    private static AgentDefinition Definition(string name) => new(name, null, "x", null, [], new Dictionary<string, IReadOnlyList<string>>(), null, null);
}
