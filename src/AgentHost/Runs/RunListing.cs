using System.Security.Claims;
using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>The newest runs someone may see: of one agent, or of every agent they may see; null when that agent is not theirs to see.</summary>
public sealed record RunList(Agent? Agent, IReadOnlyList<Run> Runs);

/// <summary>
/// Which runs a person may list (the runs page and GET /api/runs): their own agents' and their direct
/// reports'; every agent's for security and admins. One query for the runs and their action counts.
/// </summary>
public sealed class RunListing(AgentStore agents, AgentAccess access, RunStore runs, EmployeeDirectory directory)
{
    public async Task<RunList?> ListAsync(ClaimsPrincipal user, string? agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        Agent? agent = null;
        List<string> ids;
        if (!string.IsNullOrWhiteSpace(agentId))
        {
            agent = await agents.GetAsync(agentId, cancellationToken);
            if (agent is null || !access.CanRead(user, agent))
            {
                return null;
            }

            ids = [agent.Id];
        }
        else if (user.IsInRole(Roles.Security) || user.IsInRole(Roles.Admin))
        {
            ids = [.. (await agents.ListAsync(null, cancellationToken)).Select(a => a.Id)];
        }
        else
        {
            ids = [];
            foreach (var owner in directory.DirectReportsOf(user.Email()).Select(e => e.Email).Prepend(user.Email()))
            {
                ids.AddRange((await agents.ListAsync(owner, cancellationToken)).Select(a => a.Id));
            }
        }

        return new RunList(agent, await runs.ListForAgentsAsync(ids, RunStore.MaxListed, cancellationToken));
    }
}
