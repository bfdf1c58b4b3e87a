using System.Text;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using Microsoft.Data.Sqlite;

namespace AgentHost.Tests.Audit;

public sealed class AuditLogWriterTests
{
    [Fact]
    public async Task Append_ConcurrentAppenders_GetConsecutiveSequencesAndAllSurviveReopen()
    {
        await using var log = await AuditLogFixture.StartAsync();

        var appended = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => log.AppendAsync(note: $"n{i}"))));
        await log.RestartAsync();

        appended.Select(e => e.Sequence).Order().ShouldBe(Enumerable.Range(1, 200).Select(i => (long)i));
        var stored = await log.Reader.SearchAsync(new AuditFilter(), null, 1000, CancellationToken.None);
        stored.Events.Count.ShouldBe(200);
        stored.Events.Select(e => e.Data).ShouldBe(appended.OrderBy(e => e.Sequence).Select(e => e.Data));
        (await log.AppendAsync()).Sequence.ShouldBe(201);
        log.VerifyFile().Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task Database_RefusesUpdateAndDelete_OfEventsAndCheckpoints()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await log.AppendManyAsync(3);
        await log.Writer.CheckpointNowAsync(CancellationToken.None);

        await using var connection = await log.Database.OpenAsync(CancellationToken.None);
        foreach (var sql in new[]
        {
            "UPDATE audit_events SET data = '{}' WHERE seq = 1",
            "DELETE FROM audit_events WHERE seq = 3",
            "UPDATE audit_checkpoints SET tree_size = 0",
            "DELETE FROM audit_checkpoints",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var error = await Should.ThrowAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
            error.Message.ShouldContain("append-only");
        }
    }

    [Fact]
    public async Task Append_WhenTheTransactionFails_FailsEveryWaiter_AndRecoversAfterwards()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await log.AppendManyAsync(2);
        await using (var blocker = await log.Database.OpenAsync(CancellationToken.None))
        {
            using var rename = blocker.CreateCommand();
            rename.CommandText = "ALTER TABLE audit_events RENAME TO audit_events_away";
            await rename.ExecuteNonQueryAsync();

            var failures = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => await Should.ThrowAsync<AuditWriteException>(() => log.AppendAsync())));
            failures.Length.ShouldBe(5);

            using var back = blocker.CreateCommand();
            back.CommandText = "ALTER TABLE audit_events_away RENAME TO audit_events";
            await back.ExecuteNonQueryAsync();
        }

        (await log.AppendAsync()).Sequence.ShouldBe(3);
        log.VerifyFile().ShouldSatisfyAllConditions(r => r.Valid.ShouldBeTrue(r.Reason), r => r.Count.ShouldBe(3));
    }

    [Fact]
    public async Task Append_AfterStop_IsRefused()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await log.Writer.StopAsync();

        await Should.ThrowAsync<AuditWriteException>(() => log.AppendAsync());
    }

    [Fact]
    public async Task Append_SecretsAndSecretKeys_NeverReachTheFile()
    {
        const string botToken = "xoxb-1111-2222-abcdefghijkl";
        const string registered = "hunter2-registered-secret";
        await using var log = await AuditLogFixture.StartAsync(secrets: [registered]);

        await log.Writer.AppendAsync(
            new AuditEntry(AuditEventTypes.ActionFailed, AuditActor.System, Data: new()
            {
                ["error"] = $"login failed with {registered}",
                ["password"] = "plain-password-value",
                ["nested"] = new System.Text.Json.Nodes.JsonObject { ["botToken"] = "whatever-value-here", ["text"] = $"token {botToken}" },
                ["tokensPerRun"] = 5000,
            }),
            CancellationToken.None);
        await log.Writer.StopAsync();
        SqliteConnection.ClearAllPools();

        var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(log.DatabasePath))
            + (File.Exists(log.DatabasePath + "-wal") ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(log.DatabasePath + "-wal")) : string.Empty);
        bytes.ShouldNotContain(registered);
        bytes.ShouldNotContain("plain-password-value");
        bytes.ShouldNotContain("whatever-value-here");
        bytes.ShouldNotContain(botToken);
        bytes.ShouldContain("[REDACTED]");
        bytes.ShouldContain("\"tokensPerRun\":5000");
    }

    [Fact]
    public async Task Checkpoints_EveryNEvents_AndOnIdle_AreSignedInTheDatabaseAndTheFile()
    {
        await using var log = await AuditLogFixture.StartAsync(checkpointEvery: 10);
        await log.AppendManyAsync(25);
        await WaitForAsync(async () => (await log.Reader.CheckpointsAsync(null, 100, CancellationToken.None)).Count >= 2, "two checkpoints, one per ten events");

        var afterEvents = await log.Reader.CheckpointsAsync(null, 100, CancellationToken.None);
        afterEvents.Select(c => c.TreeSize).Order().ShouldBe([10L, 20L]);

        log.Time.Advance(log.Options.CheckpointInterval);
        await WaitForAsync(async () => (await log.Reader.CheckpointsAsync(null, 100, CancellationToken.None)).Count >= 3, "the idle checkpoint after the interval");
        log.Time.Advance(log.Options.CheckpointInterval);
        await WaitForAsync(async () => (await log.Reader.CheckpointsAsync(null, 100, CancellationToken.None)).Count >= 4, "a second idle checkpoint");

        var all = await log.Reader.CheckpointsAsync(null, 100, CancellationToken.None);
        all.Select(c => c.TreeSize).Order().ShouldBe([10L, 20L, 25L, 25L]);
        var fileNotes = CheckpointFile.ReadNotes(log.Options.CheckpointFile);
        fileNotes.Count.ShouldBe(4);
        using var key = log.PublicKey();
        foreach (var note in fileNotes)
        {
            key.TryVerify(note, out _, out var error).ShouldBeTrue(error);
        }

        all.Select(c => c.Note).Order().ShouldBe(fileNotes.Order());
    }

    [Fact]
    public async Task Search_FiltersAndPagesByCursor()
    {
        await using var log = await AuditLogFixture.StartAsync();
        for (var i = 0; i < 30; i++)
        {
            await log.AppendAsync(i % 3 == 0 ? AuditEventTypes.PolicyDecided : AuditEventTypes.ModelCalled, runId: i % 2 == 0 ? "run-even" : "run-odd");
        }

        var seen = new List<long>();
        long? cursor = null;
        do
        {
            var page = await log.Reader.SearchAsync(new AuditFilter(RunId: "run-even", Type: AuditEventTypes.PolicyDecided), cursor, 2, CancellationToken.None);
            page.Events.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Events.Select(e => e.Sequence));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        seen.ShouldBe(Enumerable.Range(0, 30).Where(i => i % 6 == 0).Select(i => (long)i + 1));
        var from = (await log.Reader.SearchAsync(new AuditFilter(), 9, 1, CancellationToken.None)).Events[0].Timestamp;
        var window = await log.Reader.SearchAsync(new AuditFilter(From: from, To: from.AddMilliseconds(7)), null, 100, CancellationToken.None);
        window.Events.Select(e => e.Sequence).ShouldBe([10L, 11L, 12L]);
        (await log.Reader.SearchAsync(new AuditFilter(Actor: "employee:nobody@example.com"), null, 100, CancellationToken.None)).Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_GivesTheSameAnswer_WhateverTheIndexerHasReached()
    {
        await using var log = await AuditLogFixture.StartAsync();
        var indexer = new AuditSearchIndexer(log.Database, log.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditSearchIndexer>.Instance);
        for (var i = 0; i < 40; i++)
        {
            await log.AppendAsync(i % 4 == 0 ? AuditEventTypes.ActionDenied : AuditEventTypes.ModelCalled, runId: $"run-{i % 5}");
        }

        var filters = new[]
        {
            new AuditFilter(RunId: "run-3"),
            new AuditFilter(Type: AuditEventTypes.ActionDenied),
            new AuditFilter(RunId: "run-0", Type: AuditEventTypes.ActionDenied),
            new AuditFilter(AgentId: "agent-1", Actor: "employee:alice@example.com"),
        };
        var unindexed = new List<long[]>();
        foreach (var filter in filters)
        {
            unindexed.Add((await log.Reader.SearchAsync(filter, null, 1000, CancellationToken.None)).Events.Select(e => e.Sequence).ToArray());
        }

        (await indexer.IndexBatchAsync(CancellationToken.None)).ShouldBe(40);
        for (var i = 40; i < 50; i++)
        {
            await log.AppendAsync(i % 4 == 0 ? AuditEventTypes.ActionDenied : AuditEventTypes.ModelCalled, runId: $"run-{i % 5}");
        }

        for (var f = 0; f < filters.Length; f++)
        {
            var expected = unindexed[f].Concat(Enumerable.Range(40, 10).Where(i => Matches(filters[f], i)).Select(i => (long)i + 1)).ToArray();
            var found = (await log.Reader.SearchAsync(filters[f], null, 1000, CancellationToken.None)).Events.Select(e => e.Sequence).ToArray();
            found.ShouldBe(expected, $"filter {f}");
        }

        unindexed[0].ShouldBe(Enumerable.Range(0, 40).Where(i => i % 5 == 3).Select(i => (long)i + 1).ToArray());
        (await indexer.IndexBatchAsync(CancellationToken.None)).ShouldBe(10);
        (await indexer.IndexBatchAsync(CancellationToken.None)).ShouldBe(0);

        static bool Matches(AuditFilter filter, int i) =>
            (filter.RunId is null || filter.RunId == $"run-{i % 5}") && (filter.Type is null || filter.Type == (i % 4 == 0 ? AuditEventTypes.ActionDenied : AuditEventTypes.ModelCalled));
    }

    [Fact]
    public async Task Proofs_FromTheStore_VerifyAgainstTheSignedCheckpoint()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await log.AppendManyAsync(37);
        await log.Writer.CheckpointNowAsync(CancellationToken.None);
        var checkpoint = (await log.Reader.CheckpointsAsync(null, 1, CancellationToken.None)).Single();
        var proofs = new AuditProofs(log.Reader);

        foreach (var seq in new long[] { 1, 2, 17, 36, 37 })
        {
            var inclusion = (await proofs.InclusionAsync(seq, 37, CancellationToken.None))!;
            inclusion.RootHash.ShouldBe(checkpoint.RootHash);
            inclusion.Verify().ShouldBeTrue($"seq {seq}");
        }

        var consistency = (await proofs.ConsistencyAsync(20, 37, CancellationToken.None))!;
        consistency.ToRoot.ShouldBe(checkpoint.RootHash);
        consistency.Verify().ShouldBeTrue();
        (await proofs.InclusionAsync(38, 37, CancellationToken.None)).ShouldBeNull();
        (await proofs.InclusionAsync(1, 38, CancellationToken.None)).ShouldBeNull();
        (await proofs.ConsistencyAsync(30, 20, CancellationToken.None)).ShouldBeNull();
    }

    private static Task WaitForAsync(Func<Task<bool>> condition, string what) => Eventually.TrueAsync(condition, what);
}
