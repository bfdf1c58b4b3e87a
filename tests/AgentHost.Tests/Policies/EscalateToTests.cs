using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Policies.Testing;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Policies;

/// <summary>`escalate_to` in a rule's approval: parsed, refused at load with file:line:column when wrong, kept when rules merge, checked by policy test cases.</summary>
public sealed class EscalateToTests
{
    private static readonly PolicyFacts Facts = new(groups: new() { ["bob@example.com"] = ["team-leads"] }, roles: []);

    [Theory]
    [InlineData("rules:\n  - id: a\n    decision: require_approval\n    approval: { group: g, escalate_to: g }\n", 4, 40, "escalate_to must name another group than 'g'")]
    [InlineData("rules:\n  - id: a\n    decision: require_approval\n    approval: { group: g, escalate_to: 'on call' }\n", 4, 40, "escalate_to 'on call' is not a group name")]
    [InlineData("rules:\n  - id: a\n    decision: require_approval\n    approval: { group: g, escalate_to: [x, y] }\n", 4, 40, "escalate_to must be a non-empty text value")]
    [InlineData("rules:\n  - id: a\n    decision: require_approval\n    approval: { group: g, escalate_to: '' }\n", 4, 40, "escalate_to must be a non-empty text value")]
    [InlineData("rules:\n  - id: a\n    decision: require_approval\n    approval: { group: g, escalate: x }\n", 4, 27, "unknown key 'escalate'")]
    public void AWrongFallbackGroup_IsAnErrorWithFileLineAndColumn(string yaml, int line, int column, string message)
    {
        var result = PolicyLoader.Load([new PolicyFile("p.yaml", yaml)], TestCatalog.Standard);

        result.Succeeded.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Message.ShouldContain(message);
        (error.File, error.Line, error.Column).ShouldBe(("p.yaml", line, column), error.ToString());
    }

    [Fact]
    public void TheFallbackGroup_ReachesTheDecision_AndSurvivesMerging()
    {
        const string rules = """
            rules:
              - { id: leads, decision: require_approval, approval: { group: team-leads, count: 1, timeout: 4h } }
              - { id: leads-strict, decision: require_approval, approval: { group: team-leads, count: 2, timeout: 2h, escalate_to: security-approvers } }
            """;
        var result = PolicyLoader.Load([new PolicyFile("t.yaml", rules)], TestCatalog.Standard);
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));

        var decision = result.PolicySet!.Evaluate(PolicyEvaluationTests.Call("slack.read_channel", ("channel", "C0GRANTED")), Facts);

        decision.Approvals.ShouldBe([new ApprovalRequirement("team-leads", 2, TimeSpan.FromHours(2), "security-approvers")]);
    }

    [Fact]
    public void APolicyTestCase_ChecksTheFallbackGroup()
    {
        const string rules = "rules:\n  - { id: r, decision: require_approval, approval: { group: team-leads, escalate_to: security-approvers } }\n";
        var policies = PolicyLoader.Load([new PolicyFile("t.yaml", rules)], TestCatalog.Standard).PolicySet!;
        var cases = new List<PolicyTestCase>();
        var errors = new List<PolicyError>();
        PolicyTestSuite.Parse("cases.yaml", """
            cases:
              - name: right
                call: { function: slack.read_channel, arguments: { channel: C0OPS } }
                agent: { owner: alice@example.com }
                expect: { decision: require_approval, escalate_to: security-approvers }
              - name: wrong
                call: { function: slack.read_channel, arguments: { channel: C0OPS } }
                agent: { owner: alice@example.com }
                expect: { decision: require_approval, escalate_to: none }
            """, cases, errors);

        errors.ShouldBeEmpty(string.Join("\n", errors));
        var results = cases.Select(c => c.Run(policies, Facts)).ToList();
        results[0].Passed.ShouldBeTrue(results[0].Message);
        results[1].Passed.ShouldBeFalse();
        results[1].Message.ShouldContain("expected escalation to none, got security-approvers");
    }
}
