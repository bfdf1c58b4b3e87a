using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;

namespace AgentHost.Tests.Storage;

/// <summary>
/// Claiming an approval's resumption and moving its run back to running are one commit: a process that
/// dies between two separate writes would leave the approval used and the run parked for ever.
/// </summary>
public sealed class ResumeClaimTests
{
    [Fact]
    public async Task TheClaim_MovesTheRunToRunning_AndSucceedsExactlyOnce()
    {
        var (approvals, runs, approvalId, runId) = await ParkedAndApprovedAsync();

        (await approvals.ClaimResumeAsync(approvalId, runs.ResumeWrite(runId), CancellationToken.None)).ShouldBeTrue();
        (await runs.GetAsync(runId, CancellationToken.None))!.Status.ShouldBe(RunStatus.Running);
        (await approvals.ClaimResumeAsync(approvalId, runs.ResumeWrite(runId), CancellationToken.None)).ShouldBeFalse();
        (await approvals.SettledNotResumedAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task WhenTheRunHalfFails_TheApprovalStaysOwed_AndALaterClaimResumesTheRun()
    {
        var (approvals, runs, approvalId, runId) = await ParkedAndApprovedAsync();

        // A run write that matches nothing (as when the process dies before it): the claim must not stick.
        var nothing = new StoreWrite("UPDATE runs SET status = status WHERE id = @id", new { id = "run_gone" });
        (await approvals.ClaimResumeAsync(approvalId, nothing, CancellationToken.None)).ShouldBeFalse();

        (await approvals.SettledNotResumedAsync(CancellationToken.None)).Select(a => a.Id).ShouldBe([approvalId]);
        (await runs.GetAsync(runId, CancellationToken.None))!.Status.ShouldBe(RunStatus.AwaitingApproval);
        (await approvals.ClaimResumeAsync(approvalId, runs.ResumeWrite(runId), CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task ARunStoppedAfterTheDecision_IsNotResumed_AndStaysStopped()
    {
        var (approvals, runs, approvalId, runId) = await ParkedAndApprovedAsync();
        (await runs.StopAsync(runId, "a person stopped it", CancellationToken.None)).ShouldBe(RunStatus.AwaitingApproval);

        (await approvals.ClaimResumeAsync(approvalId, runs.ResumeWrite(runId), CancellationToken.None)).ShouldBeFalse();
        (await runs.GetAsync(runId, CancellationToken.None))!.Status.ShouldBe(RunStatus.Stopped);
    }

    private static async Task<(ApprovalStore Approvals, RunStore Runs, string ApprovalId, string RunId)> ParkedAndApprovedAsync()
    {
        var database = await TestStore.CreateAsync();
        var agent = await new AgentStore(database, TimeProvider.System).CreateAsync("alice@example.com", new AgentDefinition("Triage", null, "triage", null, [], null, null, null), CancellationToken.None);
        var runs = new RunStore(database, TimeProvider.System);
        var run = await runs.CreateAsync(agent.Id, "bob@example.com", "sort the inbox", CancellationToken.None);
        (await runs.TryStartAsync(run.Id, CancellationToken.None)).ShouldBeTrue();
        var approvals = new ApprovalStore(database, TimeProvider.System);
        var approval = await approvals.CreateAsync(
            run.Id, agent.Id, agent.Owner, "call_1", "email.send", "{}", ["rule"], [new ApprovalRequirement("security", 1, TimeSpan.FromHours(1))],
            new Dictionary<string, string>(), "sha", CancellationToken.None);
        (await runs.ParkAsync(run.Id, CancellationToken.None)).ShouldBeTrue();
        (await approvals.VoteAsync(approval.Id, "dave@example.com", approve: true, null, (_, _) => true, CancellationToken.None)).ShouldBe(VoteOutcome.Approved);
        return (approvals, runs, approval.Id, run.Id);
    }
}
