using System.Security.Claims;
using AgentHost.Auth;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;

namespace AgentHost.Approvals;

/// <summary>
/// Who sees an approval (its approver groups, the agent's owner, security and admins) and who may decide
/// it now (<see cref="ApprovalRules"/>, the same rules the decider applies).
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

    /// <summary>What the inbox offers; the decider applies the same <see cref="ApprovalRules"/> when the decision arrives.</summary>
    public bool CanDecide(ClaimsPrincipal user, Approval approval)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ApprovalRules.CanDecide(approval, user.Email(), directory);
    }
}
