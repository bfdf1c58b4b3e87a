using System.Security.Claims;
using AgentHost.Approvals;
using AgentHost.Auth;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;

namespace AgentHost.Web;

/// <summary>
/// The navigation's count: pending approvals the signed-in person may decide now (their groups, not their
/// own agents' requests, not yet voted on), by the same rules as the inbox and the decider. One query of
/// the pending approvals with their votes per page view; the rules run in memory.
/// </summary>
public sealed class PendingApprovalCount(ApprovalStore approvals, EmployeeDirectory directory)
{
    public async Task<int> ForAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var me = user.Email();
        var employee = directory.FindByEmail(me);
        if (employee is null || employee.Groups.Count == 0)
        {
            return 0; // decides nothing: no query at all
        }

        var pending = await approvals.ListAsync(ApprovalStatus.Pending, cancellationToken);
        return pending.Count(a => ApprovalRules.CanDecide(a, me, directory));
    }
}
