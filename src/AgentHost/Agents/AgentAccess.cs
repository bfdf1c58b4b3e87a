using System.Security.Claims;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;

namespace AgentHost.Agents;

/// <summary>
/// Who may see and change an agent. An employee sees their own agents, a manager their direct reports',
/// security and admins all; only the owner or an admin edits; the owner, security or an admin may throw
/// the kill switch.
/// </summary>
public sealed class AgentAccess(EmployeeDirectory directory)
{
    public bool CanSeeAgentsOf(ClaimsPrincipal user, string owner)
    {
        ArgumentNullException.ThrowIfNull(user);
        var me = user.Email();
        return string.Equals(me, owner, StringComparison.OrdinalIgnoreCase)
            || user.IsInRole(Roles.Admin)
            || user.IsInRole(Roles.Security)
            || string.Equals(directory.FindByEmail(owner)?.Manager, me, StringComparison.OrdinalIgnoreCase);
    }

    public bool CanRead(ClaimsPrincipal user, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return CanSeeAgentsOf(user, agent.Owner);
    }

    public static bool CanEdit(ClaimsPrincipal user, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(agent);
        return string.Equals(user.Email(), agent.Owner, StringComparison.OrdinalIgnoreCase) || user.IsInRole(Roles.Admin);
    }

    public static bool CanDisable(ClaimsPrincipal user, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(user);
        return CanEdit(user, agent) || user.IsInRole(Roles.Security);
    }
}
