using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Tools;
using AgentHost.Runs;
using Cronos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Agents;

/// <summary>
/// Create (/agents/new) or edit (/agents/{id}/edit) an agent with every field of the API. "Preview"
/// shows the policy panel and the next schedule times without saving; "Save" validates with the same
/// validator as the API and, when it fails, shows each error next to its field with the input kept.
/// </summary>
public sealed class EditModel(AgentStore store, AgentAccess access, AgentService agents, AgentValidator validator, AgentSchedules schedules, PolicyPreview preview, ToolCatalog catalog, TimeProvider time) : PageModel
{
    [BindProperty]
    public AgentForm Form { get; set; } = new();

    public string? Id { get; private set; }

    public string Owner { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public IReadOnlyList<ToolPreview> Policy { get; private set; } = [];

    public IReadOnlyList<(string Cron, IReadOnlyList<DateTimeOffset> Next)> NextRuns { get; private set; } = [];

    public string? Conflict { get; private set; }

    public ToolCatalog Catalog => catalog;

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        var (agent, refusal) = await LoadAsync(id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        Form = agent is null ? new AgentForm() : AgentForm.From(agent);
        Preview(Form.ToDefinition([]));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? id, string? action, CancellationToken cancellationToken)
    {
        var (agent, refusal) = await LoadAsync(id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var definition = Form.ToDefinition(errors);
        Preview(definition);
        if (action != "save")
        {
            return Page();
        }

        if (errors.Count > 0)
        {
            // Show every problem at once, not only the numbers that did not parse.
            foreach (var (key, messages) in validator.Validate(definition))
            {
                errors.TryAdd(key, messages);
            }

            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var change = agent is null
            ? await agents.CreateAsync(User.Email(), definition, cancellationToken)
            : await agents.UpdateAsync(agent with { Version = Form.Version }, User.Email(), definition, cancellationToken);
        if (change.Agent is { } saved)
        {
            schedules.Sync(saved);
            return Redirect($"/agents/{saved.Id}?saved=1");
        }

        Errors = change.Errors;
        Conflict = change.Conflict ? "Someone changed this agent since you opened it. Reload the page and apply your change again." : null;
        Response.StatusCode = change.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<(Agent? Agent, IActionResult? Refusal)> LoadAsync(string? id, CancellationToken cancellationToken)
    {
        Id = id;
        Owner = User.Email();
        if (id is null)
        {
            return (null, null);
        }

        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(User, agent))
        {
            return (null, NotFound());
        }

        if (!AgentAccess.CanEdit(User, agent))
        {
            return (null, Forbid());
        }

        Owner = agent.Owner;
        return (agent, null);
    }

    private void Preview(AgentDefinition definition)
    {
        Policy = preview.For(Owner, definition);
        var now = time.GetUtcNow();
        var next = new List<(string, IReadOnlyList<DateTimeOffset>)>();
        foreach (var schedule in definition.Triggers?.Schedules ?? [])
        {
            try
            {
                var cron = CronExpression.Parse(schedule.Cron, CronFormat.Standard);
                if (!TimeZoneInfo.TryFindSystemTimeZoneById(schedule.TimeZone, out var zone))
                {
                    continue;
                }

                var times = new List<DateTimeOffset>();
                var from = now;
                for (var i = 0; i < 3 && cron.GetNextOccurrence(from, zone) is { } at; i++)
                {
                    times.Add(at);
                    from = at;
                }

                next.Add((schedule.Cron, times));
            }
            catch (CronFormatException)
            {
                // The validator reports it next to the field; the preview just has nothing to show.
            }
        }

        NextRuns = next;
    }
}
