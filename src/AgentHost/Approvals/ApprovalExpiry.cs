using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;

namespace AgentHost.Approvals;

/// <summary>
/// What happens when an approval's time is up: its fallback group takes it over, once, if its policy names
/// one (`escalate_to`); otherwise it expires and the run continues with a refusal. Half way, the
/// approvers who have not decided are reminded, once.
/// </summary>
public sealed class ApprovalExpiry(ApprovalStore approvals, ApprovalEvents events, IAuditLog audit)
{
    /// <summary>Does nothing if the approval was decided first or its time is not up.</summary>
    public async Task ExpireAsync(string approvalId, CancellationToken cancellationToken)
    {
        if (await approvals.GetAsync(approvalId, cancellationToken) is { } before && await approvals.EscalateAsync(before, cancellationToken))
        {
            var escalated = (await approvals.GetAsync(approvalId, cancellationToken))!;
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.ApprovalEscalated, AuditActor.System, escalated.AgentId, escalated.RunId, new()
            {
                ["approvalId"] = approvalId,
                ["function"] = escalated.Function,
                ["from"] = string.Join(", ", before.RequiredGroups.Select(g => g.Group)),
                ["to"] = escalated.EscalateTo,
                ["expiresAt"] = escalated.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }), cancellationToken);
            events.Changed(new ApprovalChanged(approvalId, escalated.RunId, ApprovalChange.Escalated));
            return;
        }

        if (!await approvals.ExpireAsync(approvalId, cancellationToken))
        {
            return;
        }

        var approval = (await approvals.GetAsync(approvalId, cancellationToken))!;
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ApprovalExpired, AuditActor.System, approval.AgentId, approval.RunId, new() { ["approvalId"] = approvalId, ["function"] = approval.Function }), cancellationToken);
        events.Changed(new ApprovalChanged(approvalId, approval.RunId, ApprovalChange.Expired));
    }

    /// <summary>Reminds the undecided approvers of an approval whose reminder is due; once, whoever else sweeps.</summary>
    public async Task RemindAsync(string approvalId, CancellationToken cancellationToken)
    {
        if (!await approvals.ClaimReminderAsync(approvalId, cancellationToken))
        {
            return;
        }

        var approval = (await approvals.GetAsync(approvalId, cancellationToken))!;
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ApprovalReminded, AuditActor.System, approval.AgentId, approval.RunId, new()
        {
            ["approvalId"] = approvalId,
            ["groups"] = string.Join(", ", approval.RequiredGroups.Select(g => g.Group)),
        }), cancellationToken);
        events.Changed(new ApprovalChanged(approvalId, approval.RunId, ApprovalChange.Reminded));
    }
}
