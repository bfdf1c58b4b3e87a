using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;

namespace AgentHost.Approvals;

/// <summary>
/// Counts an approver's decision, whichever button it came from (web inbox, API, Slack): only a member
/// of one of the approval's groups, never the agent's owner, the run's requester or whoever started the
/// run (compared as canonical e-mail), each person once, while the approval is pending. A refused
/// decision changes nothing and is audited. When the approval settles, its observers resume the parked run.
/// </summary>
public sealed class ApprovalDecider(ApprovalStore approvals, EmployeeDirectory directory, ApprovalEvents events, IAuditLog audit)
{
    public async Task<DecisionResult> DecideAsync(string approvalId, string approver, bool approve, string? comment, CancellationToken cancellationToken)
    {
        approver = ApproverIdentity.Canonical(approver);
        var approval = await approvals.GetAsync(approvalId, cancellationToken);
        if (approval is null)
        {
            return new DecisionResult(false, StatusCodes.Status404NotFound, "no such approval");
        }

        if (ApprovalRules.Refusal(approval, approver, directory) is { } refusal)
        {
            return refusal.Audited
                ? await RefuseAsync(approval, approver, refusal.Status, refusal.Message, cancellationToken)
                : new DecisionResult(false, refusal.Status, refusal.Message);
        }

        var outcome = await approvals.VoteAsync(approvalId, approver, approve, comment, directory.IsInGroup, cancellationToken);
        switch (outcome)
        {
            case VoteOutcome.NotEligible:
                return await RefuseAsync(approval, approver, StatusCodes.Status403Forbidden, "you may not decide this approval", cancellationToken);
            case VoteOutcome.AlreadyVoted:
                return new DecisionResult(false, StatusCodes.Status409Conflict, ApprovalRules.AlreadyDecided);
            case VoteOutcome.NotPending:
                return new DecisionResult(false, StatusCodes.Status409Conflict, ApprovalRules.NoLongerPending);
        }

        var tally = ApprovalTally.Count(approval, directory.IsInGroup, withApproveVoteOf: approve ? approver : null);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ApprovalDecided, AuditActor.Approver(approver), approval.AgentId, approval.RunId, new()
        {
            ["approvalId"] = approval.Id,
            ["decision"] = approve ? "approve" : "reject",
            ["comment"] = comment,
            ["outcome"] = outcome.ToString().ToLowerInvariant(),

            // Which group this approval counts for so far (the matching may move it as others vote).
            ["countedFor"] = approve ? tally.CountedFor.GetValueOrDefault(approver) : null,
            ["needs"] = outcome == VoteOutcome.Counted ? tally.Needs : null,
        }), cancellationToken);
        // A settled approval resumes its run (ParkedRunResumer); every change updates Slack's message.
        events.Changed(new ApprovalChanged(approval.Id, approval.RunId, outcome is VoteOutcome.Approved or VoteOutcome.Rejected ? ApprovalChange.Decided : ApprovalChange.Voted));

        var message = outcome switch
        {
            VoteOutcome.Approved => "approved; the run continues",
            VoteOutcome.Rejected => "rejected; the agent is told",
            _ => $"counted; {tally.Needs}",
        };
        return new DecisionResult(true, StatusCodes.Status200OK, message, outcome.ToString().ToLowerInvariant());
    }

    private async Task<DecisionResult> RefuseAsync(Approval approval, string approver, int status, string message, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.AuthDenied, AuditActor.Employee(approver), approval.AgentId, approval.RunId, new()
        {
            ["approvalId"] = approval.Id,
            ["reason"] = message,
        }), cancellationToken);
        return new DecisionResult(false, status, message);
    }
}
