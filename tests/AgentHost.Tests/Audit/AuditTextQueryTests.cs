using AgentHost.Core.Audit;

namespace AgentHost.Tests.Audit;

/// <summary>
/// A reviewer's text is read as words, never as FTS5 or tsquery syntax: the query text both stores get is
/// built from tokens of letters and digits only, whatever the reviewer typed.
/// </summary>
public sealed class AuditTextQueryTests
{
    [Theory]
    [InlineData("\"", 0)]
    [InlineData("*", 0)]
    [InlineData("-", 0)]
    [InlineData(":", 0)]
    [InlineData("   ", 0)]
    [InlineData("NEAR(deploy production, 2)", 3)]
    [InlineData("deploy -production", 2)]
    [InlineData("words:deploy", 1)]
    [InlineData("a OR b AND NOT c", 6)]
    [InlineData("\"unclosed phrase", 1)]
    [InlineData("' ; DROP TABLE audit_events; --", 3)]
    [InlineData("^deploy {words keys}: x", 4)]
    [InlineData("deploy\\* 'x' & !y | <-> z:*", 4)]
    public void OperatorsAndQuotes_AreOnlyPunctuationOrWords(string text, int words)
    {
        var query = AuditTextQuery.Parse(text);

        query.Words.Count.ShouldBe(words);
        query.Words.SelectMany(w => w.Tokens).ShouldAllBe(t => t.Length > 0 && t.All(char.IsLetterOrDigit));
        var fts = query.ToFts5("words");
        fts.Replace("words : \"", "", StringComparison.Ordinal).Replace("\" *", "", StringComparison.Ordinal).Replace("\" AND ", " ", StringComparison.Ordinal).TrimEnd('"')
            .ShouldAllBe(c => char.IsLetterOrDigit(c) || c == ' ');
        query.ToTsQuery().ShouldAllBe(c => char.IsLetterOrDigit(c) || " ()'&<->:*".Contains(c, StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmail_IsItsTokensInARow_AndAQuotedPhraseIsOneWord()
    {
        var query = AuditTextQuery.Parse("Alice@Example.COM \"deploy  to production\" prod*");

        query.Words.Select(w => string.Join(' ', w.Tokens)).ShouldBe(["alice example com", "deploy to production", "prod"]);
        query.Words.Select(w => w.Prefix).ShouldBe([false, false, true]);
        query.ToFts5("words").ShouldBe("words : \"alice example com\" AND words : \"deploy to production\" AND words : \"prod\" *");
        query.ToTsQuery().ShouldBe("('alice' <-> 'example' <-> 'com') & ('deploy' <-> 'to' <-> 'production') & ('prod':*)");
        query.Matches(["user", "alice", "example", "com", "deploy", "to", "production", "producer"]).ShouldBeTrue();
        query.Matches(["alice", "example", "org", "com", "deploy", "to", "production", "prod"]).ShouldBeFalse("the e-mail's tokens must stand in a row");
    }

    [Theory]
    [InlineData("de*", false)]
    [InlineData("dep*", true)]
    [InlineData("\"deploy prod\"*", true)]
    public void APrefix_NeedsThreeCharacters(string text, bool prefix) =>
        AuditTextQuery.Parse(text).Words.Single().Prefix.ShouldBe(prefix);

    [Fact]
    public void Unicode_IsLowerCasedAndKept_WithoutFoldingAccents()
    {
        var query = AuditTextQuery.Parse("ZÜRICH 東京 café");

        query.Words.Select(w => w.Tokens.Single()).ShouldBe(["zürich", "東京", "café"]);
        query.Matches(["cafe", "zürich", "東京"]).ShouldBeFalse("café is not cafe: neither store folds accents");
    }

    [Fact]
    public void Documents_SkipHashesAndBase64_ButKeepLongWords()
    {
        var document = AuditSearchDocument.Of("policy.decided", "approver:Sam@Example.com", "ag_1", "run_1", """
            {"argumentsSha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","blob":"aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29ybGQ0MTIz","decision":"Allow","function":"Deploy.Create","rule":"email-send-external-needs-approval-for-everyone","rules":["R-1",5]}
            """);

        document.Words.ShouldBe(["policy", "decided", "approver", "sam", "example", "com", "allow", "deploy", "create", "email", "send", "external", "needs", "approval", "for", "everyone", "r", "1"]);
        document.Keys.ShouldContain(AuditSearchDocument.Key(AuditSearchKey.Person, "sam@example.com"));
        document.Keys.ShouldContain(AuditSearchDocument.Key(AuditSearchKey.Function, "deploy.create"));
        document.Keys.ShouldContain(AuditSearchDocument.Key(AuditSearchKey.Decision, "allow"));
        document.Keys.ShouldContain(AuditSearchDocument.Key(AuditSearchKey.Rule, "r-1"));
        document.Keys.ShouldContain(AuditSearchDocument.Key(AuditSearchKey.Rule, "email-send-external-needs-approval-for-everyone"));
        document.Keys.ShouldNotContain(AuditSearchDocument.Key(AuditSearchKey.Rule, "5"), "only strings are rules");
        AuditSearchDocument.Key(AuditSearchKey.Function, "slack.post").ShouldBe("zfeddc576a5ed4e091157e943ed0105c3a", "PostgreSQL's 'zf' || md5('slack.post') (M025)");
    }
}
