using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Agents;

/// <summary>My agents, or a direct report's (a manager picks whose); the same access rule as GET /api/agents.</summary>
public sealed class IndexModel(AgentStore store, AgentAccess access, EmployeeDirectory directory) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    public IReadOnlyList<Agent> Agents { get; private set; } = [];

    public IReadOnlyList<Employee> Reports { get; private set; } = [];

    public string Whose { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Whose = string.IsNullOrWhiteSpace(Owner) ? User.Email() : Owner.Trim();
        if (!access.CanSeeAgentsOf(User, Whose))
        {
            return Forbid();
        }

        Reports = directory.DirectReportsOf(User.Email());
        Agents = await store.ListAsync(Whose, cancellationToken);
        return Page();
    }
}
