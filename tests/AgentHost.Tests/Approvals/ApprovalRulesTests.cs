using AgentHost.Approvals;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Tests.Approvals;

/// <summary>The one set of approve/reject rules the API, the inbox page and the decider share.</summary>
public sealed class ApprovalRulesTests
{
    private static readonly EmployeeDirectory Directory = new(
    [
        Person("alice@example.com", "team-leads"),
        Person("bob@example.com", "team-leads"),
        Person("carol@example.com", "team-leads"),
        Person("dave@example.com"),
    ]);

    [Theory]
    [InlineData("alice@example.com", StatusCodes.Status403Forbidden, "the agent's owner cannot")]
    [InlineData(" ALICE@Example.com ", StatusCodes.Status403Forbidden, "the agent's owner cannot")]
    [InlineData("bob@example.com", StatusCodes.Status403Forbidden, "the run's requester cannot")]
    [InlineData("dave@example.com", StatusCodes.Status403Forbidden, "only members of team-leads")]
    public void Refusal_OfThePerson_Is403AndAudited(string approver, int status, string message)
    {
        var refusal = ApprovalRules.Refusal(Pending(), approver, Directory).ShouldNotBeNull();

        refusal.Status.ShouldBe(status);
        refusal.Message.ShouldStartWith(message);
        refusal.Audited.ShouldBeTrue();
        ApprovalRules.CanDecide(Pending(), approver, Directory).ShouldBeFalse();
    }

    [Fact]
    public void ALateOrRepeatedDecision_Is409_NotAudited()
    {
        var decided = Pending() with { Status = ApprovalStatus.Approved };
        var voted = Pending() with { Votes = [new ApprovalVote("Carol@Example.com", "approve", null, DateTimeOffset.UnixEpoch)] };

        ApprovalRules.Refusal(decided, "carol@example.com", Directory).ShouldBe(new DecisionRefusal(StatusCodes.Status409Conflict, ApprovalRules.NoLongerPending, Audited: false));
        ApprovalRules.Refusal(voted, "carol@example.com", Directory).ShouldBe(new DecisionRefusal(StatusCodes.Status409Conflict, ApprovalRules.AlreadyDecided, Audited: false));
    }

    [Fact]
    public void AMemberWhoIsNoPartyToTheRun_MayDecide()
    {
        ApprovalRules.Refusal(Pending(), "carol@example.com", Directory).ShouldBeNull();
        ApprovalRules.CanDecide(Pending(), "carol@example.com", Directory).ShouldBeTrue();
    }

    [Theory]
    [InlineData("approve", null, true)]
    [InlineData("reject", "no", true)]
    [InlineData("maybe", null, false)]
    [InlineData(null, null, false)]
    [InlineData("approve", "x1001", false)]
    public void Decision_IsApproveOrReject_WithACommentOfAtMost1000Characters(string? decision, string? comment, bool valid)
    {
        var body = new ApprovalDecision(decision, comment == "x1001" ? new string('x', 1001) : comment);

        ApprovalRules.Validate(body).Count.ShouldBe(valid ? 0 : 1);
    }

    [Fact]
    public void ABlankComment_IsNoComment()
    {
        new ApprovalDecision("approve", "   ").CommentOrNull.ShouldBeNull();
        new ApprovalDecision("reject", "too risky").CommentOrNull.ShouldBe("too risky");
    }

    private static Approval Pending() => new(
        "ap_1", "run_1", "agent_1", "alice@example.com", "call_1", "email.send", "{}", ["r1"], "team-leads", 1,
        ApprovalStatus.Pending, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), false, [], Requester: "bob@example.com");

    private static Employee Person(string email, params string[] groups) =>
        new(email, email, null, null, new HashSet<string>(), new HashSet<string>(groups, StringComparer.Ordinal));
}
