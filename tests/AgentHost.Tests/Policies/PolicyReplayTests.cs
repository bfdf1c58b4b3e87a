using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Policies.Replay;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Policies;

/// <summary>
/// The replay puts the same recorded request to both sets, so a listed change is the policy change's
/// alone: spelling, taint and approvers count as the gate counts them; what cannot be replayed is never
/// reported as a change.
/// </summary>
public sealed class PolicyReplayTests
{
    private const string Baseline = """
        rules:
          - id: deploy-granted
            match: { function: deploy.create_deployment }
            when:
              - argument: environment
                in_scope: github.environments
              - argument: repo
                in_scope: github.repos
            decision: allow
          - id: mail-partner
            match: { function: email.send }
            when:
              - argument: [to, cc]
                domain_in: { scope: email.recipientDomains }
            decision: require_approval
            approval: { group: team-leads, count: 1, timeout: 4h }
        """;

    private const string ProductionNeedsApproval = """
          - id: production-needs-approval
            match: { function: deploy.create_deployment }
            when:
              - argument: environment
                equals: production
            decision: require_approval
            approval: { group: release-managers, count: 1, timeout: 1h }
        """;

    private static readonly PolicyFacts Facts = new();

    private static readonly Dictionary<string, AgentContext> Agents = new(StringComparer.Ordinal)
    {
        ["ag_deploy"] = AgentContext.Create("ag_deploy", "alice@example.com", ["deploy.create_deployment", "email.send"], new Dictionary<string, IEnumerable<string>>
        {
            ["github.repos"] = ["acme/web"],
            ["github.environments"] = ["staging", "production"],
            ["email.recipientDomains"] = ["partner.test"],
        }),
    };

    [Theory]
    [InlineData("production")]
    [InlineData("Production")]
    [InlineData(" PRODUCTION ")]
    public void ACandidateRule_CatchesTheRecordedCall_InAnySpellingTheGateReadsAsTheSame(string environment)
    {
        var calls = new[] { Deploy(1, environment), Deploy(2, "staging") };

        var report = Replay(calls, Set(Baseline), Set(Baseline + "\n" + ProductionNeedsApproval));

        report.Replayed.ShouldBe(2);
        report.ChangedCount.ShouldBe(1);
        var changed = report.Changed.ShouldHaveSingleItem();
        changed.Call.CallId.ShouldBe("call_1");
        changed.Change.ShouldBe(PolicyChange.AllowToApproval);
        changed.DecidingRules.ShouldBe(["production-needs-approval"]);
        report.Groups.ShouldHaveSingleItem().ShouldBe(new ReplayGroup(PolicyChange.AllowToApproval, "production-needs-approval", "ag_deploy", 1, ["call_1"]), new GroupComparer());
    }

    [Fact]
    public void NoRecordedCalls_IsAnEmptyReport_NotAnError()
    {
        var report = Replay([], Set(Baseline), Set(Baseline + "\n" + ProductionNeedsApproval));

        (report.Replayed, report.NotReplayed, report.ChangedCount).ShouldBe((0, 0, 0));
    }

    [Fact]
    public void TheSameSet_ChangesNothing()
    {
        var report = Replay([Deploy(1, "production"), Mail(2, tainted: true)], Set(Baseline), Set(Baseline));

        report.ChangedCount.ShouldBe(0);
        report.Groups.ShouldBeEmpty();
        report.Replayed.ShouldBe(2);
    }

    [Fact]
    public void TaintIsReplayed_OnlyTheCallWhoseRecipientCameFromUntrustedContentChanges()
    {
        const string denyTainted = """
              - id: no-tainted-recipients
                match: { function: email.send }
                when: [{ tainted: [to] }]
                decision: deny
            """;

        var report = Replay([Mail(1, tainted: true), Mail(2, tainted: false)], Set(Baseline), Set(Baseline + "\n" + denyTainted));

        report.Changed.ShouldHaveSingleItem().Call.CallId.ShouldBe("call_1");
        report.Changed[0].Change.ShouldBe(PolicyChange.ApprovalToDeny);
    }

    [Fact]
    public void OtherApprovers_AreAChange_AnotherTimeoutIsNot()
    {
        var otherGroup = Baseline.Replace("group: team-leads", "group: security", StringComparison.Ordinal);
        var otherTimeout = Baseline.Replace("timeout: 4h", "timeout: 8h", StringComparison.Ordinal);

        Replay([Mail(1, tainted: false)], Set(Baseline), Set(otherGroup)).Changed.ShouldHaveSingleItem().Change.ShouldBe(PolicyChange.ApproversChanged);
        Replay([Mail(1, tainted: false)], Set(Baseline), Set(otherTimeout)).ChangedCount.ShouldBe(0);
    }

    [Fact]
    public void DeletedAgents_UnknownTools_AndMalformedArguments_AreNeverReportedAsChanges()
    {
        var calls = new[]
        {
            Deploy(1, "production") with { AgentId = "ag_gone" },
            Deploy(2, "production") with { Function = "mcp.gone.tool" },
            Deploy(3, "production") with { ArgumentsJson = "{not json" },
            Deploy(4, "production") with { ArgumentsJson = "{\"repo\":\"acme/web\",\"unknown\":\"x\"}" },
            Deploy(5, "production") with { ArgumentsJson = "[1,2]" },
        };

        var report = Replay(calls, Set(Baseline), Set("rules:\n  - { id: nothing, match: { function: slack.read_channel }, decision: allow }\n"));

        report.ChangedCount.ShouldBe(0);
        report.NotReplayed.ShouldBe(2);
        report.Replayed.ShouldBe(3);
    }

    [Fact]
    public void WithoutABaselineSet_TheRecordedDecisionsAreTheBaseline()
    {
        var recordedDeny = Deploy(1, "production") with { RecordedDecision = PolicyOutcome.Deny, RecordedRules = [BuiltInRules.DefaultDeny] };
        var undecided = Deploy(2, "production") with { RecordedDecision = null };

        var report = PolicyReplay.Run(DateTimeOffset.UnixEpoch, [recordedDeny, undecided], Agents, baseline: null, Set(Baseline), Facts, TestCatalog.Standard);

        report.Changed.ShouldHaveSingleItem().Change.ShouldBe(PolicyChange.DenyToAllow);
        report.NotReplayed.ShouldBe(1);
        report.BaselineHash.ShouldBe("recorded");
    }

    [Fact]
    public void ManyCalls_InParallel_AreCountedExactly_AndListedInTrailOrder()
    {
        var calls = Enumerable.Range(1, 20_000).Select(i => i % 3 == 0 ? Deploy(i, "production") : Deploy(i, "staging")).ToArray();

        var report = PolicyReplay.Run(DateTimeOffset.UnixEpoch, calls, Agents, Set(Baseline), Set(Baseline + "\n" + ProductionNeedsApproval), Facts, TestCatalog.Standard, listed: 10);

        report.ChangedCount.ShouldBe(20_000 / 3);
        report.ByChange[PolicyChange.AllowToApproval].ShouldBe(20_000 / 3);
        report.Groups.ShouldHaveSingleItem().Calls.ShouldBe(20_000 / 3);
        report.Changed.Select(c => c.Call.Seq).ShouldBe([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    }

    private static PolicyReplayReport Replay(IReadOnlyList<RecordedCall> calls, PolicySet baseline, PolicySet candidate) =>
        PolicyReplay.Run(DateTimeOffset.UnixEpoch, calls, Agents, baseline, candidate, Facts, TestCatalog.Standard);

    private static PolicySet Set(string yaml)
    {
        var result = PolicyLoader.Load([new PolicyFile("t.yaml", yaml)], TestCatalog.Standard);
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        return result.PolicySet!;
    }

    private static RecordedCall Deploy(long seq, string environment) => Call(
        seq, "deploy.create_deployment", $"{{\"repo\":\"acme/web\",\"ref\":\"main\",\"environment\":\"{environment}\"}}", tainted: []);

    private static RecordedCall Mail(long seq, bool tainted) => Call(
        seq, "email.send", "{\"to\":[\"ops@partner.test\"],\"subject\":\"s\",\"body\":\"b\"}", tainted: tainted ? ["to"] : []);

    private static RecordedCall Call(long seq, string function, string arguments, string[] tainted) => new(
        seq, DateTimeOffset.UnixEpoch.AddSeconds(seq), "ag_deploy", "run_1", $"call_{seq}", function, arguments,
        new HashSet<string>(tainted, StringComparer.Ordinal), "alice@example.com", PolicyOutcome.Allow, ["deploy-granted"]);

    private sealed class GroupComparer : IEqualityComparer<ReplayGroup>
    {
        public bool Equals(ReplayGroup? x, ReplayGroup? y) =>
            x is not null && y is not null && x.Change == y.Change && x.Rule == y.Rule && x.AgentId == y.AgentId && x.Calls == y.Calls && x.ExampleCallIds.SequenceEqual(y.ExampleCallIds);

        public int GetHashCode(ReplayGroup obj) => obj.Calls;
    }
}
