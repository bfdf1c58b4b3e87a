using System.Security.Claims;
using AgentHost.Auth;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;

namespace AgentHost.Approvals;

/// <summary>
/// Who sees an approval (its approver groups, the agent's owner, security and admins) and who may decide
/// it now (a member of one of its groups, not the owner, requester or starter, not twice, while pending).
/// The decider enforces the second rule again when the decision arrives; this is what the inbox offers.
/// </summary>
public sealed class ApprovalVisibility(EmployeeDirectory directory)
{
    public bool CanSee(ClaimsPrincipal user, Approval approval)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(approval);
        var me = ApproverIdentity.Canonical(user.Email());
        return user.IsInRole(Roles.Security) || user.IsInRole(Roles.Admin)
            || ApproverIdentity.Same(approval.Owner, me)
            || approval.RequiredGroups.Any(g => directory.IsInGroup(me, g.Group));
    }

    public bool CanDecide(ClaimsPrincipal user, Approval approval)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(approval);
        var me = ApproverIdentity.Canonical(user.Email());
        return approval.Status == ApprovalStatus.Pending
            && approval.ExclusionOf(me) is null
            && approval.RequiredGroups.Any(g => directory.IsInGroup(me, g.Group))
            && !approval.Votes.Any(v => ApproverIdentity.Same(v.Approver, me));
    }
}
