using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
using AgentHost.Runs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Agents;

/// <summary>
/// One agent: its definition, its admin grants, its recent runs, Run now (owner), granting a scope value
/// beyond the owner's authority (admin) and the kill switch (owner, security, admin).
/// </summary>
public sealed class DetailsModel(AgentStore store, AgentAccess access, RunStore runs, RunStarter starter, AgentKillSwitch killSwitch, ToolCatalog catalog, ScopeGrantStore grants, AgentGrants granting, AgentSchedules schedules) : PageModel
{
    public IReadOnlyList<ScopeGrant> Grants { get; private set; } = [];

    public bool CanGrant => User.IsInRole(AgentHost.Core.Employees.Roles.Admin);

    public IReadOnlyDictionary<string, string[]> GrantErrors { get; private set; } = new Dictionary<string, string[]>();

    public Agent Agent { get; private set; } = null!;

    public IReadOnlyList<Run> Runs { get; private set; } = [];

    public ToolCatalog Catalog => catalog;

    public bool CanEdit => AgentAccess.CanEdit(User, Agent);

    public bool CanDisable => AgentAccess.CanDisable(User, Agent);

    [BindProperty]
    public string? Input { get; set; }

    public string? InputError { get; private set; }

    public string? ConfirmError { get; private set; }

    public string? Message { get; private set; }

    /// <param name="saved">"1" after the form saved the agent (a string: "1" does not bind to a bool).</param>
    public async Task<IActionResult> OnGetAsync(string id, string? saved, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        Message = saved is "1" or "true" ? "Saved." : null;
        return Page();
    }

    public Task<IActionResult> OnPostRunAsync(string id, CancellationToken cancellationToken) => StartAsync(id, dryRun: false, cancellationToken);

    /// <summary>"Test run": a dry run of the saved agent, whose writes are decided but not executed.</summary>
    public Task<IActionResult> OnPostTestAsync(string id, CancellationToken cancellationToken) => StartAsync(id, dryRun: true, cancellationToken);

    private async Task<IActionResult> StartAsync(string id, bool dryRun, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var start = await starter.StartAsync(User, id, Input, dryRun, cancellationToken);
        switch (start)
        {
            case { Run: { } run }:
                return Redirect($"/runs/{run.Id}");
            case { Status: StatusCodes.Status403Forbidden }:
                return Forbid();
            case { Field: not null }:
                InputError = start.Title;
                break;
            default:
                Message = start.Title;
                break;
        }

        Response.StatusCode = start.Status;
        return Page();
    }

    public async Task<IActionResult> OnPostGrantAsync(string id, string? scope, string? value, string? reason, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (!CanGrant)
        {
            return Forbid();
        }

        var change = scope is not null && catalog.TryGetScope(scope, out _)
            ? await granting.GrantAsync(Agent, User.Email(), scope, value ?? string.Empty, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), cancellationToken)
            : AgentChange.Invalid(new Dictionary<string, string[]> { ["scope"] = ["choose a scope"] });
        if (change.Agent is { } changed)
        {
            schedules.Sync(changed);
            return Redirect($"/agents/{id}");
        }

        GrantErrors = change.Conflict ? new Dictionary<string, string[]> { ["value"] = ["the agent changed meanwhile; grant again"] } : change.Errors;
        Response.StatusCode = change.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string id, bool confirm, string? reason, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (!CanDisable)
        {
            return Forbid();
        }

        if (!confirm)
        {
            ConfirmError = "Tick the box to confirm: the agent and all its unfinished runs stop at once.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await killSwitch.ThrowAsync(Agent, User.Email(), reason, cancellationToken);
        return Redirect($"/agents/{id}");
    }

    // Undoing the kill switch (runs helper): owner or admin, with a reason; security may only disable.
    public bool CanEnable => Agent.Disabled && AgentAccess.CanEdit(User, Agent);

    public string? EnableError { get; private set; }

    public async Task<IActionResult> OnPostEnableAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (!AgentAccess.CanEdit(User, Agent))
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            EnableError = "Say why the agent may run again; it is recorded in the audit trail.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await killSwitch.UndoAsync(Agent, User.Email(), reason, cancellationToken);
        return Redirect($"/agents/{id}");
    }

    // End of undoing the kill switch.
    private async Task<IActionResult?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(User, agent))
        {
            return NotFound();
        }

        Agent = agent;
        Runs = await runs.ListForAgentsAsync([id], 20, cancellationToken);
        Grants = await grants.ListAsync(id, cancellationToken);
        return null;
    }
}
