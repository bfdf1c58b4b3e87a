using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;

namespace AgentHost.Approvals;

/// <summary>Expires an approval nobody decided in time; the run then continues with a refusal.</summary>
public sealed class ApprovalExpiry(ApprovalStore approvals, ApprovalEvents events, IAuditLog audit)
{
    /// <summary>Does nothing if the approval was decided first or its time is not up.</summary>
    public async Task ExpireAsync(string approvalId, CancellationToken cancellationToken)
    {
        if (!await approvals.ExpireAsync(approvalId, cancellationToken))
        {
            return;
        }

        var approval = (await approvals.GetAsync(approvalId, cancellationToken))!;
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ApprovalExpired, AuditActor.System, approval.AgentId, approval.RunId, new() { ["approvalId"] = approvalId, ["function"] = approval.Function }), cancellationToken);
        events.Changed(new ApprovalChanged(approvalId, approval.RunId, ApprovalChange.Expired));
    }
}
