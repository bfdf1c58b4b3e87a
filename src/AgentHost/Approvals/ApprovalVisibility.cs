using System.Security.Claims;
using AgentHost.Auth;
using AgentHost.Core.Approvals;
using AgentHost.Core.Directory;

namespace AgentHost.Approvals;

/// <summary>
/// Who sees an approval (its approver group, the agent's owner, security and admins) and who may decide
/// it now (a member of the group, not the owner, not twice, while pending). The decider enforces the
/// second rule again when the decision arrives; this is what the inbox offers.
/// </summary>
public sealed class ApprovalVisibility(EmployeeDirectory directory)
{
    public bool CanSee(ClaimsPrincipal user, Approval approval)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(approval);
        var me = user.Email();
        return user.IsInRole(Roles.Security) || user.IsInRole(Roles.Admin)
            || string.Equals(approval.Owner, me, StringComparison.OrdinalIgnoreCase)
            || directory.IsInGroup(me, approval.Group);
    }

    public bool CanDecide(ClaimsPrincipal user, Approval approval)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(approval);
        var me = user.Email();
        return approval.Status == ApprovalStatus.Pending
            && !string.Equals(approval.Owner, me, StringComparison.OrdinalIgnoreCase)
            && directory.IsInGroup(me, approval.Group)
            && !approval.Votes.Any(v => string.Equals(v.Approver, me, StringComparison.OrdinalIgnoreCase));
    }
}
