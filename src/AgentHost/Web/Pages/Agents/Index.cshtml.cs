using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Agents;

/// <summary>
/// My agents, or a direct report's (a manager picks whose); the same access rule as GET /api/agents.
/// Security and admins see the inventory: every agent, filtered by owner, team (a manager and their
/// direct reports), tool and state.
/// </summary>
public sealed class IndexModel(AgentStore store, AgentAccess access, EmployeeDirectory directory) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Team { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tool { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    public IReadOnlyList<Agent> Agents { get; private set; } = [];

    public IReadOnlyList<Employee> Reports { get; private set; } = [];

    public string Whose { get; private set; } = string.Empty;

    /// <summary>Security or admin: the page is the inventory of every agent.</summary>
    public bool Inventory { get; private set; }

    /// <summary>The inventory's choices: owners with an agent, managers, tools in use.</summary>
    public IReadOnlyList<Employee> Owners { get; private set; } = [];

    public IReadOnlyList<Employee> Managers { get; private set; } = [];

    public IReadOnlyList<string> Tools { get; private set; } = [];

    public string NameOf(string email) => directory.FindByEmail(email)?.Name ?? email;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Inventory = User.IsInRole(Roles.Security) || User.IsInRole(Roles.Admin);
        if (Inventory)
        {
            await LoadInventoryAsync(cancellationToken);
            return Page();
        }

        Whose = string.IsNullOrWhiteSpace(Owner) ? User.Email() : Owner.Trim();
        if (!access.CanSeeAgentsOf(User, Whose))
        {
            return Forbid();
        }

        Reports = directory.DirectReportsOf(User.Email());
        Agents = await store.ListAsync(Whose, cancellationToken);
        return Page();
    }

    private async Task LoadInventoryAsync(CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(null, cancellationToken);
        Owners = [.. all.Select(a => a.Owner).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(o => directory.FindByEmail(o) ?? new Employee(o, o, null, null, new HashSet<string>(), new HashSet<string>()))
            .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)];
        Managers = [.. directory.Employees.Where(e => directory.DirectReportsOf(e.Email).Count > 0).OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)];
        Tools = [.. all.SelectMany(a => a.Definition.Tools ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        (Owner, Team, Tool, State) = (Blank(Owner), Blank(Team), Blank(Tool), Blank(State));
        Agents = [.. all.Where(a =>
            (Owner is null || string.Equals(a.Owner, Owner, StringComparison.OrdinalIgnoreCase))
            && (Team is null || InTeam(a.Owner, Team))
            && (Tool is null || (a.Definition.Tools ?? []).Contains(Tool, StringComparer.Ordinal))
            && (State is null || (State == "disabled") == a.Disabled))];
    }

    /// <summary>A team is a manager and their direct reports.</summary>
    private bool InTeam(string owner, string manager) =>
        string.Equals(owner, manager, StringComparison.OrdinalIgnoreCase)
        || string.Equals(directory.FindByEmail(owner)?.Manager, manager, StringComparison.OrdinalIgnoreCase);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
