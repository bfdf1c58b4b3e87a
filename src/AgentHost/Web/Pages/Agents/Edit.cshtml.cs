using AgentHost.Agents;
using AgentHost.Agents.Pickers;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Tools;
using AgentHost.Runs;
using Cronos;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Agents;

/// <summary>Next occurrences of one schedule, in the schedule's own time zone.</summary>
public sealed record CronPreview(string Cron, string TimeZone, IReadOnlyList<DateTimeOffset> Next);

/// <summary>
/// Create (/agents/new) or edit (/agents/{id}/edit) an agent with every field of the API. "Preview"
/// shows the policy panel and the next schedule times without saving; "Try a call" evaluates one call
/// against the unsaved draft; "Save" validates with the same validator as the API and, when it fails,
/// shows each error once, next to its field, with the input kept. "Save and test run" saves, then starts
/// a dry run of what was saved (a dry run never runs an unsaved draft: what it tests is what will run).
/// </summary>
public sealed class EditModel(
    AgentStore store,
    AgentAccess access,
    AgentService agents,
    AgentValidator validator,
    AgentSchedules schedules,
    PolicyPreview preview,
    ToolCatalog catalog,
    ConfiguredTools configured,
    SlackChannelPicker slackChannels,
    GitHubRepoPicker repos,
    MailFolderPicker folders,
    RunStarter starter,
    TimeProvider time) : PageModel
{
    private const string SlackChannels = "slack.channels";

    [BindProperty]
    public AgentForm Form { get; set; } = new();

    [BindProperty]
    public string? TryFunction { get; set; }

    [BindProperty]
    public string? TryArguments { get; set; }

    public ToolPreview? TryResult { get; private set; }

    public string? Id { get; private set; }

    public string Owner { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>Each error beside exactly one field (the empty key: the summary at the top).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Placed { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<ToolPreview> Policy { get; private set; } = [];

    public IReadOnlyList<CronPreview> NextRuns { get; private set; } = [];

    /// <summary>Values to pick from, per scope key (Slack channels by name), when the plugin can list them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ScopeOption>> ScopeOptions { get; private set; } = new Dictionary<string, IReadOnlyList<ScopeOption>>();

    public string? Conflict { get; private set; }

    public ToolCatalog Catalog => catalog;

    public bool IsConfigured(ToolDescriptor tool) => configured.IsConfigured(tool);

    public IReadOnlyList<string> Messages(string field) => Placed.GetValueOrDefault(field) ?? [];

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        var (agent, refusal) = await LoadAsync(id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        Form = agent is null ? new AgentForm() : AgentForm.From(agent);
        await PickersAsync(new Dictionary<string, string[]>(), cancellationToken);
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
        await PickersAsync(errors, cancellationToken);
        var definition = Form.ToDefinition(errors);
        Preview(definition);
        if (action == "try")
        {
            var tried = new Dictionary<string, string[]>(StringComparer.Ordinal);
            TryResult = preview.Try(Owner, definition, TryFunction, TryArguments, tried);
            Show(tried);
            return Page();
        }

        if (action is not ("save" or "test"))
        {
            // A name that resolves to no channel is said on preview too: it is about what was typed.
            Show(errors);
            return Page();
        }

        if (action == "test" && string.IsNullOrWhiteSpace(Form.TestInput))
        {
            errors["testInput"] = ["Say what the test run should do, e.g. \"Deploy main to production\""];
        }

        if (errors.Count > 0)
        {
            // Show every problem at once, not only the numbers that did not parse.
            foreach (var (key, messages) in validator.Validate(definition))
            {
                errors.TryAdd(key, messages);
            }

            return Invalid(errors, StatusCodes.Status400BadRequest);
        }

        var change = agent is null
            ? await agents.CreateAsync(User.Email(), definition, cancellationToken)
            : await agents.UpdateAsync(agent with { Version = Form.Version }, User.Email(), definition, cancellationToken);
        if (change.Agent is not { } saved)
        {
            Conflict = change.Conflict ? "Someone changed this agent since you opened it. Reload the page and apply your change again." : null;
            return Invalid(change.Errors, change.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }

        schedules.Sync(saved);
        if (action == "save")
        {
            return Redirect($"/agents/{saved.Id}?saved=1");
        }

        var start = await starter.StartAsync(User, saved.Id, Form.TestInput, dryRun: true, cancellationToken);
        return start.Run is { } run
            ? Redirect($"/runs/{run.Id}")
            : Redirect($"/agents/{saved.Id}?saved=1");
    }

    private PageResult Invalid(IReadOnlyDictionary<string, string[]> errors, int status)
    {
        Show(errors);
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Errors keyed as the API keys them, with schedules renumbered to the form rows they were typed in.</summary>
    private void Show(IReadOnlyDictionary<string, string[]> errors)
    {
        var rows = Form.ScheduleRowOf;
        var shown = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, messages) in errors)
        {
            var name = key;
            const string prefix = "triggers.schedules[";
            if (key.StartsWith(prefix, StringComparison.Ordinal)
                && key.IndexOf(']', StringComparison.Ordinal) is var end and > 0
                && int.TryParse(key.AsSpan(prefix.Length, end - prefix.Length), out var index)
                && index < rows.Count)
            {
                name = $"{prefix}{rows[index]}{key[end..]}";
            }

            shown[name] = messages;
        }

        Errors = shown;
        Placed = FormErrors.Place(shown, Fields());
    }

    /// <summary>The keys of the fields the page shows errors beside.</summary>
    private IEnumerable<string> Fields()
    {
        string[] fixedFields = ["name", "description", "instructions", "model", "tools", "triggers.schedules", "triggers.slackMention", "triggers.emailArrival", "testInput", "tryFunction", "tryArguments",
            "budgets.tokensPerRun", "budgets.tokensPerDay", "budgets.maxTurns", "budgets.maxWallTime", "budgets.maxConcurrentRuns", "budgets.maxToolCallsPerTurn", "budgets.maxToolCallsPerRun"];
        var rows = Form.ScheduleRowsToShow().Count;
        return fixedFields
            .Concat(catalog.ScopeKeys.Select(k => "scopes." + k))
            .Concat(Enumerable.Range(0, rows).SelectMany(i => new[] { $"triggers.schedules[{i}].cron", $"triggers.schedules[{i}].timeZone" }));
    }

    /// <summary>
    /// The pick lists, and channel names typed into the channel scope or the mention trigger resolved to
    /// their ids (or refused next to the field, with what the author may have meant).
    /// </summary>
    private async Task PickersAsync(Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var options = new Dictionary<string, IReadOnlyList<ScopeOption>>(StringComparer.Ordinal);
        ScopeOptions = options;
        if (await repos.UsableAsync(Owner, cancellationToken) is { } repositories)
        {
            options["github.repos"] = repositories;
        }

        if (await folders.UsableAsync(Owner, cancellationToken) is { } mailFolders)
        {
            options["email.folders"] = mailFolders;
        }

        if (await slackChannels.ChannelsAsync(cancellationToken) is not { } channels)
        {
            return;
        }

        options[SlackChannels] = await slackChannels.UsableAsync(Owner, channels, cancellationToken);
        var picked = Form.Picked.GetValueOrDefault(SlackChannels) ?? [];
        var typed = Form.ScopeValues(SlackChannels).Except(picked, StringComparer.Ordinal).ToList();
        var (resolved, refused) = await ResolveAsync(channels, typed, cancellationToken);
        if (refused.Count > 0)
        {
            errors["scopes." + SlackChannels] = [.. refused];
        }
        else if (typed.Count > 0)
        {
            Form.SetScopeValues(SlackChannels, picked.Concat(resolved).Distinct(StringComparer.Ordinal));
        }

        var mentions = (Form.MentionChannels ?? string.Empty).Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (mentioned, unknown) = await ResolveAsync(channels, mentions, cancellationToken);
        if (unknown.Count > 0)
        {
            errors["triggers.slackMention"] = [.. unknown];
        }
        else if (mentions.Length > 0)
        {
            Form.MentionChannels = string.Join(", ", mentioned);
        }
    }

    private async Task<(List<string> Resolved, List<string> Refused)> ResolveAsync(IReadOnlyList<AgentHost.Plugins.Slack.Api.SlackChannel> channels, IEnumerable<string> typed, CancellationToken cancellationToken)
    {
        var (resolved, refused) = (new List<string>(), new List<string>());
        foreach (var value in typed)
        {
            var answer = await slackChannels.ResolveAsync(Owner, channels, value, cancellationToken);
            if (answer.Value is { } id)
            {
                resolved.Add(id);
            }
            else
            {
                refused.Add(answer.Error!);
            }
        }

        return (resolved, refused);
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
        var next = new List<CronPreview>();
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
                    // Shown as the schedule's own wall-clock time, labelled with its zone: 09:00 Europe/Berlin.
                    times.Add(TimeZoneInfo.ConvertTime(at, zone));
                    from = at;
                }

                next.Add(new CronPreview(schedule.Cron, schedule.TimeZone, times));
            }
            catch (CronFormatException)
            {
                // The validator reports it next to the field; the preview just has nothing to show.
            }
        }

        NextRuns = next;
    }
}
