using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Policies;

/// <summary>
/// Policy conditions compare as the target system does, whoever asks (gate, preview, policy test): the
/// request's values and the policy's literals go through the same normalisation.
/// </summary>
public sealed class ValueComparisonTests
{
    private const string Rules = """
        rules:
          - id: prod
            match: { function: deploy.create_deployment }
            when:
              - argument: environment
                glob: "Prod*"
            decision: require_approval
            approval: { group: deploy-approvers }
          - id: main-only
            match: { function: deploy.create_deployment }
            when:
              - argument: ref
                equals: refs/heads/main
            decision: allow
          - id: pinned-commit
            match: { function: deploy.merge_pull_request }
            when:
              - argument: expected_head_sha
                equals: 9F4E1C2B7A6D5E3F8091A2B3C4D5E6F708192A3B
            decision: allow
          - id: channel
            match: { function: slack.post_message }
            when:
              - argument: channel
                in: [c0abc]
            decision: allow
          - id: internal
            match: { function: email.send }
            when:
              - argument: to
                domain_in: [Example.COM.]
            decision: allow
        """;

    private static readonly PolicySet Policies = PolicyLoader.Load([new PolicyFile("values.yaml", Rules)], TestCatalog.Standard).PolicySet!;

    [Theory]
    [InlineData("production")]
    [InlineData("Production")]
    [InlineData("PRODUCTION")]
    [InlineData(" production ")]
    [InlineData("prod")]
    public void Environment_AnyCaseOrPadding_IsProduction(string environment) =>
        Decide("deploy.create_deployment", ("repo", "acme/web"), ("ref", "main"), ("environment", environment)).Outcome.ShouldBe(PolicyOutcome.RequireApproval);

    [Theory]
    [InlineData("main", PolicyOutcome.Allow)]
    [InlineData("refs/heads/main", PolicyOutcome.Allow)]
    [InlineData("heads/main", PolicyOutcome.Allow)]
    [InlineData("Main", PolicyOutcome.Deny)] // git refs are case-sensitive: another branch
    [InlineData("refs/tags/main", PolicyOutcome.Deny)]
    public void Ref_PrefixSpellings_AreOneBranch(string gitRef, PolicyOutcome outcome) =>
        Decide("deploy.create_deployment", ("repo", "acme/web"), ("ref", gitRef), ("environment", "staging")).Outcome.ShouldBe(outcome);

    [Theory]
    [InlineData("9f4e1c2", PolicyOutcome.Allow)]
    [InlineData("9F4E1C2B7A6D5E3F8091A2B3C4D5E6F708192A3B", PolicyOutcome.Allow)]
    [InlineData("9f4e1c", PolicyOutcome.Deny)]
    [InlineData("0f4e1c2", PolicyOutcome.Deny)]
    public void Sha_SevenCharacterPrefixes_AreTheCommit(string sha, PolicyOutcome outcome) =>
        Decide("deploy.merge_pull_request", ("repo", "acme/web"), ("number", "7"), ("expected_head_sha", sha)).Outcome.ShouldBe(outcome);

    [Theory]
    [InlineData("C0ABC", PolicyOutcome.Allow)]
    [InlineData("c0abc", PolicyOutcome.Allow)]
    [InlineData(" C0abc ", PolicyOutcome.Allow)]
    [InlineData("C0ABD", PolicyOutcome.Deny)]
    public void Channel_IdsCompareUpperCaseAndTrimmed(string channel, PolicyOutcome outcome) =>
        Decide("slack.post_message", ("channel", channel), ("text", "hi")).Outcome.ShouldBe(outcome);

    [Theory]
    [InlineData("alice@example.com", PolicyOutcome.Allow)]
    [InlineData("Alice@Example.COM", PolicyOutcome.Allow)]
    [InlineData("Alice <alice@example.com>", PolicyOutcome.Allow)]
    [InlineData("alice@example.com.", PolicyOutcome.Allow)]
    [InlineData("alice@example.com.evil.test", PolicyOutcome.Deny)]
    [InlineData("alice@example.com, drop@evil.test", PolicyOutcome.Deny)]
    [InlineData("Alice <alice@example.com>, <drop@evil.test>", PolicyOutcome.Deny)]
    public void Email_CanonicalAddresses_AndOddFormsFailClosed(string to, PolicyOutcome outcome) =>
        Decide("email.send", ("to", to), ("subject", "s"), ("body", "b")).Outcome.ShouldBe(outcome);

    [Fact]
    public void Scopes_AreNormalisedLikeArguments()
    {
        var agent = AgentContext.Create(null, "alice@example.com", ["deploy.create_deployment"], new Dictionary<string, IEnumerable<string>>
        {
            ["github.repos"] = ["Acme/Web"],
            ["github.environments"] = [" Staging "],
        }).Normalized(TestCatalog.Standard);

        agent.Scope("github.environments").Contains("staging").ShouldBeTrue();
        agent.Scope("github.repos").Contains("acme/web").ShouldBeTrue();
    }

    private static PolicyDecision Decide(string function, params (string Name, string Value)[] arguments) => Policies.Evaluate(
        new PolicyRequest(
            function,
            arguments.ToDictionary(a => a.Name, a => (ToolArgumentValue)a.Value, StringComparer.Ordinal),
            AgentContext.Create(null, "alice@example.com", [function]),
            "alice@example.com",
            PolicyRequest.NoTaint),
        new PolicyFacts());
}
