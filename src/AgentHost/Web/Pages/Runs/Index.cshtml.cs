using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Runs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Runs;

/// <summary>The newest runs of the agents I may see (mine, my direct reports'; every agent for security and admins).</summary>
public sealed class IndexModel(AgentStore agents, AgentAccess access, RunStore runs, EmployeeDirectory directory) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? AgentId { get; set; }

    public IReadOnlyList<Run> Runs { get; private set; } = [];

    public Agent? Agent { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        List<string> ids;
        if (!string.IsNullOrWhiteSpace(AgentId))
        {
            Agent = await agents.GetAsync(AgentId, cancellationToken);
            if (Agent is null || !access.CanRead(User, Agent))
            {
                return NotFound();
            }

            ids = [Agent.Id];
        }
        else if (User.IsInRole(Roles.Security) || User.IsInRole(Roles.Admin))
        {
            ids = [.. (await agents.ListAsync(null, cancellationToken)).Select(a => a.Id)];
        }
        else
        {
            ids = [];
            foreach (var owner in directory.DirectReportsOf(User.Email()).Select(e => e.Email).Prepend(User.Email()))
            {
                ids.AddRange((await agents.ListAsync(owner, cancellationToken)).Select(a => a.Id));
            }
        }

        Runs = await runs.ListForAgentsAsync(ids, RunStore.MaxListed, cancellationToken);
        return Page();
    }
}
