using AgentHost.Core.Approvals;

namespace AgentHost.Tests.Approvals;

/// <summary>Counting approve votes per group: distinct people per group, no vote order that loses an approval, no excluded vote.</summary>
public sealed class ApprovalTallyTests
{
    private static readonly Dictionary<string, string[]> Members = new(StringComparer.Ordinal)
    {
        ["bob@example.com"] = ["team-leads"],
        ["carol@example.com"] = ["team-leads", "security-approvers"],
        ["sam@example.com"] = ["security-approvers"],
        ["alice@example.com"] = ["team-leads", "security-approvers"],
    };

    [Fact]
    public void OnePersonInBothGroups_CountsForOne()
    {
        var tally = Tally(TwoGroups(), "carol@example.com");

        tally.Satisfied.ShouldBeFalse();
        tally.Groups.Sum(g => g.Approved).ShouldBe(1);
        tally.Needs.ShouldStartWith("needs 1 more of ");
    }

    [Theory]
    [InlineData("carol@example.com", "sam@example.com")]
    [InlineData("sam@example.com", "carol@example.com")]
    [InlineData("carol@example.com", "bob@example.com")]
    [InlineData("bob@example.com", "carol@example.com")]
    public void TheOrderOfVotes_NeverCostsAnApproval(string first, string second)
    {
        var tally = Tally(TwoGroups(), first, second);

        tally.Satisfied.ShouldBeTrue(string.Join(", ", tally.Groups));
        tally.CountedFor.Values.ShouldBe(["team-leads", "security-approvers"], ignoreOrder: true);
    }

    [Fact]
    public void TwoOfOneGroup_AreNotEnoughForTheOther()
    {
        var tally = Tally(TwoGroups(), "bob@example.com", "carol@example.com", "BOB@example.com ");

        // carol must take security, since bob cannot: team-leads 1 of 1, security 1 of 1.
        tally.Satisfied.ShouldBeTrue();
        Tally(TwoGroups(), "bob@example.com", " Bob@Example.com").Needs.ShouldBe("needs 1 more of security-approvers (0 of 1)");
    }

    [Fact]
    public void AStoredVoteOfTheOwnerOrRequester_CountsForNothing()
    {
        // The store was edited to hold votes of the owner (alice) and the requester (carol, in another spelling).
        var approval = TwoGroups() with { Requester = "Carol@Example.COM" };

        var tally = Tally(approval, "alice@example.com", "carol@example.com", "sam@example.com");

        tally.Satisfied.ShouldBeFalse();
        tally.Groups.Select(g => g.ToString()).ShouldBe(["1 more of team-leads (0 of 1)", "security-approvers done (1 of 1)"]);
    }

    [Fact]
    public void AnApprovalFromBeforeSeveralGroups_ReadsAsItsOneGroup()
    {
        var old = TwoGroups() with { Groups = null, Group = "team-leads", Required = 2 };

        Tally(old, "bob@example.com").Needs.ShouldBe("needs 1 more of team-leads (1 of 2)");
        Tally(old, "bob@example.com", "carol@example.com").Satisfied.ShouldBeTrue();
    }

    [Fact]
    public void Exclusions_CompareCanonicalAddresses_AndNameTheRole()
    {
        var approval = TwoGroups() with { Owner = "alice@example.com", Requester = " Bob@Example.com", StartedBy = "bob@example.com" };

        approval.ExclusionOf("ALICE@example.com").ShouldBe("the agent's owner");
        approval.ExclusionOf("bob@EXAMPLE.com  ").ShouldBe("the run's requester");
        approval.ExclusionOf("carol@example.com").ShouldBeNull();
        approval.ExclusionOf(string.Empty).ShouldBeNull();
        approval.ExcludedText.ShouldBe("alice@example.com (owner), bob@example.com (requester, started the run)");
    }

    private static ApprovalTally Tally(Approval approval, params string[] approvers) =>
        ApprovalTally.Count(approval with { Votes = [.. approvers.Select(a => new ApprovalVote(a, "approve", null, DateTimeOffset.UnixEpoch))] }, IsInGroup);

    private static bool IsInGroup(string email, string group) => Members.TryGetValue(email, out var groups) && groups.Contains(group);

    private static Approval TwoGroups() => new(
        "ap_1", "run_1", "agent_1", "alice@example.com", "call_1", "email.send", "{}", ["a", "b"], "team-leads+security-approvers", 2,
        ApprovalStatus.Pending, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), false, [], null, null,
        [new ApprovalGroup("team-leads", 1), new ApprovalGroup("security-approvers", 1)]);
}
