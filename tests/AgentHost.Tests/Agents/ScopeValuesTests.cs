using AgentHost.Core.Agents;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Agents;

/// <summary>One spelling per scope value, compared as the target system compares it.</summary>
public sealed class ScopeValuesTests
{
    [Theory]
    [InlineData("slack.channels", " c0ops\t", "C0OPS")]
    [InlineData("github.repos", "ACME/Web", "acme/web")]
    [InlineData("github.environments", " Production ", "production")]
    [InlineData("email.recipientDomains", "PARTNER.test.", "partner.test")]
    [InlineData("email.recipientDomains", "@Partner.Test", "partner.test")]
    [InlineData("email.recipientDomains", "BÜCHER.example", "xn--bcher-kva.example")]
    [InlineData("email.folders", "inbox", "INBOX")]
    [InlineData("email.folders", " Triage ", "Triage")]
    [InlineData("email.folders", "triage", "triage")]
    public void Canonical_FollowsTheTargetSystem(string scope, string value, string expected) =>
        ScopeValues.Canonical(TestCatalog.Standard, scope, value).ShouldBe(expected);

    [Fact]
    public void Same_TreatsAnIdnAndItsAsciiFormAsOneDomain() =>
        ScopeValues.Same(TestCatalog.Standard, "email.recipientDomains", "bücher.example", "XN--BCHER-KVA.example").ShouldBeTrue();
}
