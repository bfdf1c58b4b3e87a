using AgentHost.Audit;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Tests.Audit;

/// <summary>
/// The audit page's reading: the newest events first, pages both ways by seq (keyset), the actor found
/// by e-mail whatever the role prefix and the case, and verify's coverage in words.
/// </summary>
public sealed class AuditBrowseTests
{
    [Fact]
    public async Task NoCursor_GivesTheNewest_OlderAndNewerPagesMeetWithoutGapsOrRepeats()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await log.AppendManyAsync(25);

        var newest = await log.Reader.BrowseAsync(new AuditFilter(), null, null, 10, CancellationToken.None);
        var older = await log.Reader.BrowseAsync(new AuditFilter(), newest.Older, null, 10, CancellationToken.None);
        var oldest = await log.Reader.BrowseAsync(new AuditFilter(), older.Older, null, 10, CancellationToken.None);
        var backUp = await log.Reader.BrowseAsync(new AuditFilter(), null, oldest.Newer, 10, CancellationToken.None);
        var top = await log.Reader.BrowseAsync(new AuditFilter(), null, backUp.Newer, 10, CancellationToken.None);

        Seqs(newest).ShouldBe([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
        newest.Newer.ShouldBeNull("nothing is newer than the newest page");
        Seqs(older).ShouldBe([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
        Seqs(oldest).ShouldBe([5, 4, 3, 2, 1]);
        oldest.Older.ShouldBeNull("the first event is on this page");
        Seqs(backUp).ShouldBe(Seqs(older), "newer from the oldest page is the page above it, still newest first");
        Seqs(top).ShouldBe(Seqs(newest));
        top.Newer.ShouldBeNull();
        top.Older.ShouldBe(16);
    }

    [Theory]
    [InlineData("sam@example.com")]
    [InlineData("SAM@Example.COM")]
    [InlineData("approver:sam@example.com")]
    [InlineData("user:Sam@example.com")]
    [InlineData("  employee:sam@example.com ")]
    public async Task TheActor_IsFoundByEmail_WhateverThePrefixAndCase(string actor)
    {
        await using var log = await AuditLogFixture.StartAsync();
        var indexer = new AuditSearchIndexer(log.Database, log.Time, NullLogger<AuditSearchIndexer>.Instance);
        await AppendAsync(log, AuditActor.Employee("sam@example.com"));
        await AppendAsync(log, AuditActor.Approver("Sam@Example.com"));
        await AppendAsync(log, AuditActor.Employee("xsam@example.com"));
        await AppendAsync(log, AuditActor.Employee("sam@example.com.evil.test"));
        await AppendAsync(log, AuditActor.Agent("sam@example"));
        await indexer.IndexBatchAsync(CancellationToken.None); // the indexed part and the unindexed tail answer alike
        await AppendAsync(log, AuditActor.Approver("sam@example.com"));

        var page = await log.Reader.BrowseAsync(new AuditFilter(Actor: actor.Trim()), null, null, 50, CancellationToken.None);

        Seqs(page).ShouldBe([6, 2, 1]);
    }

    [Fact]
    public async Task AnEmailsUnderscoreOrPercent_IsALetter_NotAWildcard()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await AppendAsync(log, AuditActor.Employee("a_b@example.com"));
        await AppendAsync(log, AuditActor.Employee("axb@example.com"));
        await AppendAsync(log, AuditActor.Employee("a%b@example.com"));

        var underscore = await log.Reader.BrowseAsync(new AuditFilter(Actor: "a_b@example.com"), null, null, 50, CancellationToken.None);
        var percent = await log.Reader.BrowseAsync(new AuditFilter(Actor: "a%b@example.com"), null, null, 50, CancellationToken.None);

        Seqs(underscore).ShouldBe([1]);
        Seqs(percent).ShouldBe([3]);
    }

    [Fact]
    public async Task AnActorWithoutEmail_IsMatchedExactly()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await AppendAsync(log, AuditActor.Agent("ag_1"));
        await AppendAsync(log, AuditActor.Agent("ag_10"));
        await AppendAsync(log, AuditActor.System);

        Seqs(await log.Reader.BrowseAsync(new AuditFilter(Actor: "agent:ag_1"), null, null, 50, CancellationToken.None)).ShouldBe([1]);
        Seqs(await log.Reader.BrowseAsync(new AuditFilter(Actor: "system"), null, null, 50, CancellationToken.None)).ShouldBe([3]);
        Seqs(await log.Reader.BrowseAsync(new AuditFilter(Actor: "AGENT:ag_1"), null, null, 50, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Coverage_NamesTheSignedRange_AndTheHashCheckedTail()
    {
        await using var log = await AuditLogFixture.StartAsync(checkpointEvery: 20);
        await log.AppendManyAsync(38);

        var result = log.VerifyFile();

        result.Valid.ShouldBeTrue(result.Reason);
        AuditCoverage.SignedEvents(result).ShouldBe(20);
        AuditCoverage.Describe(result).ShouldBe("Events 1–20 are under the latest signed checkpoint; events 21–38 are hash-checked and will be signed at the next checkpoint.");
        VerificationView.From(result).Coverage.ShouldBe(AuditCoverage.Describe(result));
    }

    [Fact]
    public void Coverage_WithoutACheckpoint_WithAllSigned_AndWhenInvalid_SaysSo()
    {
        var checkpoint = new Checkpoint("origin", 5, new byte[32], DateTimeOffset.UnixEpoch);

        AuditCoverage.Describe(new AuditVerificationResult(true, 0, null, null, null, null, true)).ShouldBe("The trail is empty: there is nothing to check yet.");
        AuditCoverage.Describe(new AuditVerificationResult(true, 3, null, null, null, null, true))
            .ShouldBe("Events 1–3 are hash-checked; no signed checkpoint covers them yet: they will be signed at the next checkpoint.");
        AuditCoverage.Describe(new AuditVerificationResult(true, 5, checkpoint, null, null, null, true)).ShouldBe("Events 1–5 are under the latest signed checkpoint.");
        AuditCoverage.Describe(new AuditVerificationResult(true, 6, checkpoint, null, null, null, true))
            .ShouldBe("Events 1–5 are under the latest signed checkpoint; event 6 is hash-checked and will be signed at the next checkpoint.");
        AuditCoverage.Describe(new AuditVerificationResult(true, 6, checkpoint, null, null, null, false)).ShouldContain("its signature was not checked");
        AuditCoverage.Describe(new AuditVerificationResult(false, 6, checkpoint, 4, null, "event 4's hash does not match", true)).ShouldStartWith("The trail does not verify: event 4's hash does not match");
    }

    private static long[] Seqs(AuditBrowsePage page) => [.. page.Events.Select(e => e.Sequence)];

    private static Task<AuditEvent> AppendAsync(AuditLogFixture log, AuditActor actor) =>
        log.Writer.AppendAsync(new AuditEntry(AuditEventTypes.RunStarted, actor, "agent-1", "run-1", new() { ["note"] = "x" }), CancellationToken.None);
}
