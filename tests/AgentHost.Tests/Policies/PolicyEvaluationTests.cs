using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Policies;

public sealed class PolicyEvaluationTests
{
    private static readonly PolicyFacts Facts = new(
        groups: new() { ["bob@example.com"] = ["team-leads"] },
        roles: new() { ["sam@example.com"] = ["security"] });

    [Fact]
    public void Evaluate_NoMatchingRule_DeniesByDefault()
    {
        var decision = Evaluate("rules:\n  - id: other\n    match: { function: slack.lookup_user }\n    decision: allow\n", Call("slack.read_channel", ("channel", "C1")));

        decision.Outcome.ShouldBe(PolicyOutcome.Deny);
        decision.RuleIds.ShouldBe([BuiltInRules.DefaultDeny]);
    }

    [Fact]
    public void Evaluate_DenyBeatsApproval_AndApprovalBeatsAllow_ListingOnlyTheWinners()
    {
        const string rules = """
            rules:
              - { id: allow-all, decision: allow }
              - { id: approve-all, decision: require_approval, approval: { group: team-leads, count: 2, timeout: 1h } }
              - { id: approve-strict, decision: require_approval, approval: { group: security-approvers, count: 3, timeout: 2h } }
              - id: deny-c9
                when: [{ argument: channel, equals: C9 }]
                decision: deny
            """;

        var approval = Evaluate(rules, Call("slack.read_channel", ("channel", "C1")));
        var denied = Evaluate(rules, Call("slack.read_channel", ("channel", "C9")));
        var allowOnly = Evaluate("rules:\n  - { id: allow-all, decision: allow }\n", Call("slack.read_channel", ("channel", "C1")));

        approval.Outcome.ShouldBe(PolicyOutcome.RequireApproval);
        approval.RuleIds.ShouldBe(["approve-all", "approve-strict"]);
        approval.Approvals.ShouldBe([new ApprovalRequirement("team-leads", 2, TimeSpan.FromHours(1)), new ApprovalRequirement("security-approvers", 3, TimeSpan.FromHours(1))]);
        approval.Explanation.ShouldContain("needs approval by each group: 2 of team-leads and 3 of security-approvers (different people per group)");
        denied.Outcome.ShouldBe(PolicyOutcome.Deny);
        denied.RuleIds.ShouldBe(["deny-c9"]);
        allowOnly.Outcome.ShouldBe(PolicyOutcome.Allow);
        allowOnly.PolicyHash.ShouldMatch("^[0-9a-f]{64}$");
    }

    [Fact]
    public void Evaluate_TwoRulesOfOneGroup_MergeToTheLargerCount_AndTheShorterTimeout()
    {
        const string rules = """
            rules:
              - { id: one-lead, decision: require_approval, approval: { group: team-leads, count: 1, timeout: 1h } }
              - { id: two-leads, decision: require_approval, approval: { group: team-leads, count: 2, timeout: 4h } }
              - { id: one-security, decision: require_approval, approval: { group: security-approvers, count: 1, timeout: 30m } }
            """;

        var decision = Evaluate(rules, Call("slack.read_channel", ("channel", "C1")));

        decision.Approvals.ShouldBe([new ApprovalRequirement("team-leads", 2, TimeSpan.FromMinutes(30)), new ApprovalRequirement("security-approvers", 1, TimeSpan.FromMinutes(30))]);
        decision.Explanation.ShouldEndWith("needs approval by each group: 2 of team-leads and 1 of security-approvers (different people per group)");
    }

    [Theory]
    [InlineData("equals: C1", "C1", true)]
    [InlineData("equals: C1", "c1", true)] // Slack channel ids: one channel whatever the case (ArgumentKind.Channel)
    [InlineData("equals: C1", " c1 ", true)]
    [InlineData("not_equals: C1", "C2", true)]
    [InlineData("in: [C1, C2]", "C2", true)]
    [InlineData("not_in: [C1, C2]", "C2", false)]
    [InlineData("glob: 'C*-ops'", "C12-ops", true)]
    [InlineData("glob: 'C?-ops'", "C12-ops", false)]
    [InlineData("not_glob: 'C*'", "D1", true)]
    [InlineData("regex: 'C[0-9]+'", "C123", true)]
    [InlineData("regex: 'C[0-9]+'", "C123x", false)]
    [InlineData("not_regex: 'C[0-9]+'", "C123x", true)]
    [InlineData("in_scope: slack.channels", "c0granted", true)]
    [InlineData("not_in_scope: slack.channels", "C-other", true)]
    [InlineData("in: [{ scope: slack.channels }, C-extra]", "C-extra", true)]
    [InlineData("present: true", "anything", true)]
    [InlineData("absent: true", "anything", false)]
    public void Evaluate_ArgumentOperators_OnOneValue(string op, string channel, bool matches)
    {
        var decision = Evaluate($"rules:\n  - id: r\n    match: {{ function: slack.read_channel }}\n    when:\n      - argument: channel\n        {op}\n    decision: allow\n", Call("slack.read_channel", ("channel", channel)));

        (decision.Outcome == PolicyOutcome.Allow).ShouldBe(matches, decision.Explanation);
    }

    [Theory]
    [InlineData("domain_in: [example.com]", new[] { "a@example.com", "b@EXAMPLE.com" }, true)]
    [InlineData("domain_in: [example.com]", new[] { "a@example.com", "b@partner.test" }, false)]
    [InlineData("domain_not_in: [example.com]", new[] { "a@example.com", "b@partner.test" }, true)]
    [InlineData("domain_not_in: [example.com]", new[] { "a@example.com", "b@example.com" }, false)]
    [InlineData("domain_in_scope: email.recipientDomains", new[] { "x@partner.test" }, true)]
    [InlineData("domain_not_in_scope: email.recipientDomains", new[] { "x@partner.test", "y@evil.test" }, true)]
    [InlineData("domain_in: [example.com]", new[] { "no-at-sign" }, false)]
    [InlineData("domain_not_in: [example.com]", new[] { "no-at-sign" }, true)]
    public void Evaluate_DomainOperators_OnEveryRecipient(string op, string[] recipients, bool matches)
    {
        var decision = Evaluate($"rules:\n  - id: r\n    match: {{ function: email.send }}\n    when:\n      - argument: [to, cc]\n        {op}\n    decision: allow\n", Call("email.send", ("to", recipients)));

        (decision.Outcome == PolicyOutcome.Allow).ShouldBe(matches, decision.Explanation);
    }

    [Fact]
    public void Evaluate_AbsentArgument_MatchesNeitherTheTestNorItsNegation()
    {
        const string rules = "rules:\n  - id: pos\n    match: { function: email.send }\n    when: [{ argument: cc, domain_in: [example.com] }]\n    decision: allow\n"
            + "  - id: neg\n    match: { function: email.send }\n    when: [{ argument: cc, domain_not_in: [example.com] }]\n    decision: allow\n"
            + "  - id: absent\n    match: { function: email.send }\n    when: [{ argument: cc, absent: true }]\n    decision: allow\n";

        Evaluate(rules, Call("email.send", ("to", new[] { "a@example.com" }))).RuleIds.ShouldBe(["absent"]);
    }

    [Fact]
    public void Evaluate_Tainted_AnySinkOrNamedArguments()
    {
        const string rules = "rules:\n  - id: sink\n    match: { function: email.send }\n    when: [{ tainted: any_sink }]\n    decision: deny\n"
            + "  - id: body\n    match: { function: email.send }\n    when: [{ tainted: [body] }]\n    decision: require_approval\n    approval: { group: g }\n";

        Evaluate(rules, Call("email.send", tainted: ["cc"])).RuleIds.ShouldBe(["sink"]);
        Evaluate(rules, Call("email.send", tainted: ["body"])).RuleIds.ShouldBe(["body"]);
        Evaluate(rules, Call("email.send", tainted: ["subject"])).RuleIds.ShouldBe([BuiltInRules.DefaultDeny]);
    }

    [Fact]
    public void Evaluate_EmployeeConditions()
    {
        const string rules = "rules:\n  - { id: lead, when: [{ owner_in_group: team-leads }], decision: allow }\n"
            + "  - { id: sec, when: [{ owner_role: security }], decision: allow }\n"
            + "  - { id: named, when: [{ owner: dave@example.com }], decision: allow }\n"
            + "  - { id: other-requester, when: [{ requester_is_owner: false }], decision: deny }\n";

        Evaluate(rules, Call("slack.lookup_user", owner: "bob@example.com")).RuleIds.ShouldBe(["lead"]);
        Evaluate(rules, Call("slack.lookup_user", owner: "sam@example.com")).RuleIds.ShouldBe(["sec"]);
        Evaluate(rules, Call("slack.lookup_user", owner: "DAVE@example.com")).RuleIds.ShouldBe(["named"]);
        Evaluate(rules, Call("slack.lookup_user", owner: "bob@example.com", requester: "alice@example.com")).RuleIds.ShouldBe(["other-requester"]);
        Evaluate(rules, Call("slack.lookup_user", owner: "alice@example.com")).RuleIds.ShouldBe([BuiltInRules.DefaultDeny]);
    }

    [Fact]
    public void Evaluate_MatchOnPluginEffectAndReach()
    {
        const string rules = "rules:\n  - { id: ext, match: { reach: external, effect: [write, destructive] }, decision: deny }\n"
            + "  - { id: slack, match: { plugin: slack }, decision: allow }\n";

        Evaluate(rules, Call("slack.post_message")).RuleIds.ShouldBe(["ext"]);
        Evaluate(rules, Call("slack.add_reaction")).RuleIds.ShouldBe(["slack"]);
        Evaluate(rules, Call("deploy.rollback")).RuleIds.ShouldBe(["ext"]);
        Evaluate(rules, Call("email.read_message")).RuleIds.ShouldBe([BuiltInRules.DefaultDeny]);
    }

    [Fact]
    public void Evaluate_UngrantedOrUnknownFunction_IsDeniedBeforeAnyRule()
    {
        const string rules = "rules:\n  - { id: all, decision: allow }\n";
        var request = Call("slack.read_channel") with { Agent = AgentContext.Create("a1", "alice@example.com", ["slack.lookup_user"]) };

        Evaluate(rules, request).RuleIds.ShouldBe([BuiltInRules.ToolNotGranted]);
        Evaluate(rules, Call("shell.exec")).RuleIds.ShouldBe([BuiltInRules.UnknownFunction]);
    }

    internal static PolicyRequest Call(string function, params (string Name, object Value)[] arguments) =>
        Call(function, "alice@example.com", null, [], arguments);

    internal static PolicyRequest Call(string function, string owner = "alice@example.com", string? requester = null, string[]? tainted = null, params (string Name, object Value)[] arguments) => new(
        function,
        arguments.ToDictionary(a => a.Name, a => a.Value is string[] many ? new ToolArgumentValue(many) : new ToolArgumentValue((string)a.Value)),
        AgentContext.Create("agent-1", owner, [function], new Dictionary<string, IEnumerable<string>>
        {
            ["slack.channels"] = ["C0GRANTED"],
            ["email.recipientDomains"] = ["partner.test"],
        }),
        requester ?? owner,
        new HashSet<string>(tainted ?? []));

    private static PolicyDecision Evaluate(string yaml, PolicyRequest request)
    {
        var result = PolicyLoader.Load([new PolicyFile("t.yaml", yaml)], TestCatalog.Standard);
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        return result.PolicySet!.Evaluate(request, Facts);
    }
}
