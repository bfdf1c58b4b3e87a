using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Gate;

/// <summary>Every spelling the target system treats as one value becomes one string before the policy reads it.</summary>
public sealed class ArgumentNormalizerTests
{
    [Theory]
    [InlineData("deploy.create_deployment", "environment", "Production", "production")]
    [InlineData("deploy.create_deployment", "environment", "PRODUCTION", "production")]
    [InlineData("deploy.create_deployment", "environment", " production ", "production")]
    [InlineData("deploy.create_deployment", "ref", "refs/heads/feature-x", "feature-x")]
    [InlineData("deploy.create_deployment", "ref", "heads/feature-x", "feature-x")]
    [InlineData("deploy.create_deployment", "ref", " feature-x ", "feature-x")]
    [InlineData("deploy.create_deployment", "ref", "refs/tags/v1.2", "refs/tags/v1.2")]
    [InlineData("deploy.create_deployment", "repo", "Acme/Web.git", "acme/web")]
    [InlineData("deploy.merge_pull_request", "number", "#0007", "7")]
    [InlineData("deploy.merge_pull_request", "expected_head_sha", "9F4E1C2B7A6D5E3F8091A2B3C4D5E6F708192A3B", "9f4e1c2b7a6d5e3f8091a2b3c4d5e6f708192a3b")]
    [InlineData("slack.post_message", "channel", "c0abc", "C0ABC")]
    [InlineData("slack.post_message", "channel", " C0ABC ", "C0ABC")]
    [InlineData("slack.post_message", "channel", "#General", "#general")]
    [InlineData("slack.lookup_user", "email", "Alice@Example.COM", "alice@example.com")]
    [InlineData("slack.lookup_user", "email", "Alice <alice@example.com>", "alice@example.com")]
    [InlineData("slack.lookup_user", "email", " mailto:Alice@Example.com. ", "alice@example.com")]
    [InlineData("slack.lookup_user", "email", "bob@bücher.example", "bob@xn--bcher-kva.example")]
    [InlineData("email.read_message", "folder", "inbox", "INBOX")]
    [InlineData("email.read_message", "folder", "Archive", "Archive")]
    [InlineData("slack.post_message", "text", " Keep As Sent ", " Keep As Sent ")]
    public void Normalize_GivesTheCanonicalValue(string function, string argument, string value, string expected)
    {
        var normalized = ArgumentNormalizer.Normalize(TestCatalog.Standard, function, new Dictionary<string, ToolArgumentValue> { [argument] = value });

        normalized[argument][0].ShouldBe(expected);
        ArgumentNormalizer.Normalize(TestCatalog.Standard, function, normalized).ShouldBeSameAs(normalized); // idempotent, and free when canonical
    }

    [Fact]
    public void Normalize_AList_NormalisesEveryValue_AndKeepsItAList()
    {
        var normalized = ArgumentNormalizer.Normalize(TestCatalog.Standard, "email.send", new Dictionary<string, ToolArgumentValue> { ["to"] = new[] { "Bob <BOB@example.com>" } });

        normalized["to"].IsList.ShouldBeTrue();
        normalized["to"][0].ShouldBe("bob@example.com");
    }

    [Theory]
    [InlineData("bob@example.com, drop@exfil-mail.test")]
    [InlineData("bob@evil.test@example.com")]
    [InlineData("\"bob\"@example.com")]
    public void OddAddressForms_AreNoAddress_SoDomainTestsFailClosed(string value) =>
        EmailAddressText.IsAddress(EmailAddressText.Canonical(value)).ShouldBeFalse();

    [Fact]
    public void ADisplayNameThatLooksInternal_IsDropped_AndTheRealMailboxIsChecked() =>
        EmailAddressText.Canonical("bob@example.com <Drop@Evil.test>").ShouldBe("drop@evil.test");

    [Fact]
    public void ThePluginReadsTheSameValue_ThroughToolInvocation()
    {
        TestCatalog.Standard.TryGet("deploy.create_deployment", out var tool).ShouldBeTrue();
        var call = new ToolInvocation("deploy.create_deployment", new Dictionary<string, object?> { ["environment"] = "PRODUCTION", ["ref"] = "refs/heads/main" }, "ag", "run", "call") { Tool = tool };

        call.RequiredText("environment").ShouldBe("production");
        call.RequiredText("ref").ShouldBe("main");
    }

    [Theory]
    [InlineData("9f4e1c2", "9f4e1c2b7a6d5e3f8091a2b3c4d5e6f708192a3b", true)]
    [InlineData("9F4E1C2B", "9f4e1c2b7a6d5e3f8091a2b3c4d5e6f708192a3b", true)]
    [InlineData("9f4e1c", "9f4e1c2b7a6d5e3f8091a2b3c4d5e6f708192a3b", false)]
    [InlineData("9f4e1c3", "9f4e1c2b7a6d5e3f8091a2b3c4d5e6f708192a3b", false)]
    public void SameCommit_MatchesSevenCharacterPrefixes(string a, string b, bool same) =>
        ValueNormalization.SameCommit(a, b).ShouldBe(same);
}
