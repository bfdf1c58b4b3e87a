using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Storage;

namespace AgentHost.Tests.Audit;

/// <summary>Content as the trail keeps it: named by the hash of exactly the stored bytes, capped visibly, verified piece by piece.</summary>
public sealed class AuditContentTests
{
    [Fact]
    public void Content_IsNamedByTheSha256OfItsUtf8Bytes_AndReadsBack()
    {
        var content = AuditContent.Create(AuditContentKind.ToolResult, "grüße 👋", 4096);

        content.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("grüße 👋"))));
        content.Capped.ShouldBeFalse();
        Encoding.UTF8.GetString(AuditContent.Decompress(content.Body, content.Bytes)).ShouldBe("grüße 👋");
        content.Reference().ToJsonString().ShouldBe($"{{\"contentSha256\":\"{content.Sha256}\",\"bytes\":{content.Bytes}}}");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("é")]
    [InlineData("👋")]
    public void OversizedContent_IsCutWithoutSplittingACharacter_AndSaysSo(string unit)
    {
        var text = string.Concat(Enumerable.Repeat(unit, 10_000));

        var content = AuditContent.Create(AuditContentKind.Model, text, 4096);

        content.Capped.ShouldBeTrue();
        content.Bytes.ShouldBeLessThanOrEqualTo(4096);
        content.OriginalBytes.ShouldBe(Encoding.UTF8.GetByteCount(text));
        var stored = AuditContent.Decompress(content.Body, content.Bytes);
        var kept = Encoding.UTF8.GetString(stored);
        kept.ShouldNotContain("\uFFFD");
        kept.ShouldEndWith($"[capped by AgentHost: 4096 of {content.OriginalBytes} bytes kept]");
        content.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(stored)));
        content.Reference()["originalBytes"]!.GetValue<long>().ShouldBe(content.OriginalBytes);
    }

    [Fact]
    public void ABodyThatInflatesBeyondItsRecordedSize_IsRefused()
    {
        var bomb = AuditContent.Compress(new byte[10 * 1024 * 1024]);

        Should.Throw<InvalidDataException>(() => AuditContent.Decompress(bomb, 1024));
    }

    [Fact]
    public void References_AreReadFromMembersOnly_NeverFromTextThatMentionsTheName()
    {
        var data = AuditCanonicalForm.CanonicalData(new System.Text.Json.Nodes.JsonObject
        {
            ["note"] = "contentSha256 is mentioned here",
            ["sent"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["contentSha256"] = "aa" }, new System.Text.Json.Nodes.JsonObject { ["contentSha256"] = 5 }),
            ["reply"] = new System.Text.Json.Nodes.JsonObject { ["contentSha256"] = "bb" },
        });

        ContentReferences.Of(data).ShouldBe(["bb", "aa"], ignoreOrder: true);
        ContentReferences.Of("{\"note\":\"contentSha256\"}").ShouldBeEmpty();
    }

    [Fact]
    public void Verifier_AcceptsHeldAndRetainedContent()
    {
        var (held, removed) = (Piece("held"), Piece("removed"));
        var ledger = Ledger((1, held.Sha256), (2, removed.Sha256));
        ledger.RemovedUnderRetention.Add(removed.Sha256);

        var verdict = ContentVerifier.Verify(ledger, [Stored(held), Stored(removed) with { Body = null }]);

        verdict.Valid.ShouldBeTrue(verdict.Reason);
        (verdict.Checked, verdict.RemovedUnderRetention).ShouldBe((1, 1));
    }

    [Fact]
    public void Verifier_RefusesABodyRemovedWithoutARetentionEvent()
    {
        var piece = Piece("text");

        var verdict = ContentVerifier.Verify(Ledger((7, piece.Sha256)), [Stored(piece) with { Body = null }]);

        verdict.Valid.ShouldBeFalse();
        verdict.FirstInvalidSeq.ShouldBe(7);
        verdict.Reason!.ShouldContain("no content.removed event");
    }

    [Fact]
    public void Verifier_RefusesAChangedBody_EvenWhereARetentionEventNamesIt()
    {
        var piece = Piece("the original");
        var ledger = Ledger((3, piece.Sha256));
        ledger.RemovedUnderRetention.Add(piece.Sha256);

        var verdict = ContentVerifier.Verify(ledger, [Stored(piece) with { Body = AuditContent.Compress(Encoding.UTF8.GetBytes("the forgery!")) }]);

        verdict.Valid.ShouldBeFalse();
        verdict.FirstInvalidSeq.ShouldBe(3);
        verdict.Reason!.ShouldContain("no longer hashes");
    }

    [Fact]
    public void Verifier_RefusesABodyPaddedToAnotherLength()
    {
        var piece = Piece("abc");

        var verdict = ContentVerifier.Verify(Ledger((1, piece.Sha256)), [Stored(piece) with { Body = AuditContent.Compress(Encoding.UTF8.GetBytes("abc\0")) }]);

        verdict.Valid.ShouldBeFalse();
    }

    [Fact]
    public void Verifier_RefusesMissingContent_NamedByAnEvent_OrByAStoredMessage()
    {
        var result = Piece("a tool result");
        var message = AuditContent.Create(AuditContentKind.Model, $"{{\"role\":\"tool\",\"results\":[{{\"result\":{{\"contentSha256\":\"{result.Sha256}\"}}}}]}}", 4096);

        var missingFromEvent = ContentVerifier.Verify(Ledger((4, result.Sha256)), []);
        var missingFromMessage = ContentVerifier.Verify(Ledger((5, message.Sha256)), [Stored(message)]);
        var whole = ContentVerifier.Verify(Ledger((5, message.Sha256)), [Stored(message), Stored(result)]);

        missingFromEvent.Valid.ShouldBeFalse();
        missingFromEvent.FirstInvalidSeq.ShouldBe(4);
        missingFromMessage.Valid.ShouldBeFalse();
        missingFromMessage.Reason!.ShouldContain("stored model message");
        whole.Valid.ShouldBeTrue(whole.Reason);
    }

    [Fact]
    public void ABodyThatIsNotBrotli_IsReportedAsChanged_NotThrown()
    {
        var piece = Piece("x");

        var verdict = ContentVerifier.Verify(Ledger((1, piece.Sha256)), [Stored(piece) with { Body = [1, 2, 3, 4, 5] }]);

        verdict.Valid.ShouldBeFalse();
    }

    [Fact]
    public void ChainedWrites_RunInOrder_AfterTheFirst()
    {
        var (a, b, c) = (new StoreWrite("a", null), new StoreWrite("b", null), new StoreWrite("c", null));

        var chain = StoreWrite.Chain(StoreWrite.Chain(a, b), c)!;

        chain.Sql.ShouldBe("a");
        chain.Next!.Sql.ShouldBe("b");
        chain.Next.Next!.Sql.ShouldBe("c");
        StoreWrite.Chain(null, b).ShouldBe(b);
        StoreWrite.Chain(a, null).ShouldBe(a);
    }

    private static AuditContent Piece(string text) => AuditContent.Create(AuditContentKind.ToolResult, text, 4096);

    private static StoredContent Stored(AuditContent piece) => new(piece.Sha256, piece.Kind, piece.Bytes, piece.OriginalBytes, piece.Body, DateTimeOffset.UnixEpoch, null);

    private static ContentLedger Ledger(params (long Seq, string Hash)[] references)
    {
        var ledger = new ContentLedger();
        foreach (var (seq, hash) in references)
        {
            ledger.Referenced[hash] = seq;
        }

        return ledger;
    }
}
