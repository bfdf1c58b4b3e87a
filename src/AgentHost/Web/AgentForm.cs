using System.Globalization;
using AgentHost.Core.Agents;

namespace AgentHost.Web;

/// <summary>One cron schedule row of the agent form.</summary>
public sealed class ScheduleForm
{
    public string? Cron { get; set; }

    public string? TimeZone { get; set; } = "UTC";

    public string? Input { get; set; }
}

/// <summary>
/// The agent form as typed: every field stays a string until it becomes an <see cref="AgentDefinition"/>,
/// so a wrong number is shown back to its author exactly as typed, with the message next to it.
/// </summary>
public sealed class AgentForm
{
    public const int ScheduleRows = 3;

    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Instructions { get; set; }

    public string? Model { get; set; }

    public List<string> Tools { get; set; } = [];

    /// <summary>
    /// One text per scope key (the catalog's scopes, which its plugins declare, name the fields): values
    /// separated by commas or lines. A key the catalog does not know is passed on, for the validator to name.
    /// </summary>
    public Dictionary<string, string?> Scopes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Values ticked in a scope's pick list (channels by name); saved together with the values typed in <see cref="Scopes"/>.</summary>
    public Dictionary<string, List<string>> Picked { get; set; } = new(StringComparer.Ordinal);

    public bool Manual { get; set; } = true;

    public List<ScheduleForm> Schedules { get; set; } = [];

    public string? MentionChannels { get; set; }

    public bool DirectMessages { get; set; }

    public string? ArrivalFolders { get; set; }

    public string? TokensPerRun { get; set; } = AgentBudgets.Default.TokensPerRun.ToString(CultureInfo.InvariantCulture);

    public string? TokensPerDay { get; set; } = AgentBudgets.Default.TokensPerDay.ToString(CultureInfo.InvariantCulture);

    public string? MaxTurns { get; set; } = AgentBudgets.Default.MaxTurns.ToString(CultureInfo.InvariantCulture);

    public string? MaxConcurrentRuns { get; set; } = AgentBudgets.Default.MaxConcurrentRuns.ToString(CultureInfo.InvariantCulture);

    public string? MaxWallTimeMinutes { get; set; } = AgentBudgets.Default.WallTime.TotalMinutes.ToString(CultureInfo.InvariantCulture);

    public string? MaxToolCallsPerTurn { get; set; } = AgentBudgets.Default.MaxToolCallsPerTurn.ToString(CultureInfo.InvariantCulture);

    public string? MaxToolCallsPerRun { get; set; } = AgentBudgets.Default.MaxToolCallsPerRun.ToString(CultureInfo.InvariantCulture);

    public long Version { get; set; }

    /// <summary>The form row of each schedule of the last <see cref="ToDefinition"/> (empty rows are skipped).</summary>
    public IReadOnlyList<int> ScheduleRowOf { get; private set; } = [];

    /// <summary>What the "Test run" (dry run) is asked to do.</summary>
    public string? TestInput { get; set; }

    public static AgentForm From(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var d = agent.Definition;
        var budgets = d.Budgets ?? AgentBudgets.Default;
        var triggers = d.Triggers ?? AgentTriggers.ManualOnly;
        var scopes = d.Scopes ?? new Dictionary<string, IReadOnlyList<string>>();
        return new AgentForm
        {
            Name = d.Name,
            Description = d.Description,
            Instructions = d.Instructions,
            Model = d.Model,
            Tools = [.. d.Tools ?? []],
            Scopes = scopes.ToDictionary(s => s.Key, s => (string?)string.Join(", ", s.Value), StringComparer.Ordinal),
            Manual = triggers.Manual,
            Schedules = [.. (triggers.Schedules ?? []).Select(s => new ScheduleForm { Cron = s.Cron, TimeZone = s.TimeZone, Input = s.Input })],
            MentionChannels = triggers.SlackMention is { } mention ? string.Join(", ", mention.Channels ?? []) : null,
            DirectMessages = triggers.SlackMention?.DirectMessages ?? false,
            ArrivalFolders = triggers.EmailArrival is { } arrival ? string.Join(", ", arrival.Folders ?? []) : null,
            TokensPerRun = budgets.TokensPerRun.ToString(CultureInfo.InvariantCulture),
            TokensPerDay = budgets.TokensPerDay.ToString(CultureInfo.InvariantCulture),
            MaxTurns = budgets.MaxTurns.ToString(CultureInfo.InvariantCulture),
            MaxConcurrentRuns = budgets.MaxConcurrentRuns.ToString(CultureInfo.InvariantCulture),
            MaxWallTimeMinutes = budgets.WallTime.TotalMinutes.ToString(CultureInfo.InvariantCulture),
            MaxToolCallsPerTurn = budgets.MaxToolCallsPerTurn.ToString(CultureInfo.InvariantCulture),
            MaxToolCallsPerRun = budgets.MaxToolCallsPerRun.ToString(CultureInfo.InvariantCulture),
            Version = agent.Version,
        };
    }

    /// <summary>Rows for the form: the schedules typed so far and empty rows up to <see cref="ScheduleRows"/>.</summary>
    public IReadOnlyList<ScheduleForm> ScheduleRowsToShow() =>
        [.. Schedules, .. Enumerable.Range(0, Math.Max(0, ScheduleRows - Schedules.Count)).Select(_ => new ScheduleForm())];

    /// <summary>The definition the API would receive; numbers that do not parse are reported under their API field names.</summary>
    public AgentDefinition ToDefinition(Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var scopes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var key in Scopes.Keys.Union(Picked.Keys, StringComparer.Ordinal))
        {
            if (ScopeValues(key) is { Count: > 0 } values)
            {
                scopes[key] = values;
            }
        }

        // Rows left empty are skipped: remember which row each schedule came from, so that its error is
        // shown next to the row the author typed it in (schedules[0] may be the second row).
        ScheduleRowOf = [.. Schedules.Select((s, row) => (s, row)).Where(x => !string.IsNullOrWhiteSpace(x.s.Cron)).Select(x => x.row)];
        var schedules = Schedules.Where(s => !string.IsNullOrWhiteSpace(s.Cron))
            .Select(s => new AgentSchedule(s.Cron!.Trim(), string.IsNullOrWhiteSpace(s.TimeZone) ? "UTC" : s.TimeZone.Trim(), string.IsNullOrWhiteSpace(s.Input) ? null : s.Input))
            .ToList();
        var mention = Split(MentionChannels);
        var arrival = Split(ArrivalFolders);
        var triggers = new AgentTriggers(
            Manual,
            schedules,
            mention.Count > 0 || DirectMessages ? new SlackMentionTrigger(mention, DirectMessages) : null,
            arrival.Count > 0 ? new EmailArrivalTrigger(arrival) : null);
        var budgets = new AgentBudgets(
            Number(errors, "budgets.tokensPerRun", "Tokens per run", TokensPerRun),
            Number(errors, "budgets.tokensPerDay", "Tokens per day", TokensPerDay),
            Number(errors, "budgets.maxTurns", "Model turns per run", MaxTurns),
            TimeSpan.FromMinutes(Number(errors, "budgets.maxWallTime", "Minutes per run", MaxWallTimeMinutes)),
            Number(errors, "budgets.maxConcurrentRuns", "Runs at once", MaxConcurrentRuns),
            Number(errors, "budgets.maxToolCallsPerTurn", "Tool calls per model reply", MaxToolCallsPerTurn),
            Number(errors, "budgets.maxToolCallsPerRun", "Tool calls per run", MaxToolCallsPerRun));
        return new AgentDefinition(Name, Description, Instructions, string.IsNullOrWhiteSpace(Model) ? null : Model.Trim(), [.. Tools.Distinct(StringComparer.Ordinal)], scopes, triggers, budgets);
    }

    /// <summary>A scope's values: those picked from its list, then those typed (each once).</summary>
    public List<string> ScopeValues(string key) =>
        [.. (Picked.GetValueOrDefault(key) ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Concat(Split(Scopes.GetValueOrDefault(key))).Distinct(StringComparer.Ordinal)];

    /// <summary>Puts <paramref name="values"/> back as the scope's typed text (after names were resolved to ids); the pick list is cleared.</summary>
    public void SetScopeValues(string key, IEnumerable<string> values)
    {
        Scopes[key] = string.Join(", ", values);
        Picked.Remove(key);
    }

    private static List<string> Split(string? text) =>
        [.. (text ?? string.Empty).Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int Number(Dictionary<string, string[]> errors, string field, string label, string? text)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[field] = [$"{label} must be a whole number, not '{text}'"];
        return 0;
    }
}
