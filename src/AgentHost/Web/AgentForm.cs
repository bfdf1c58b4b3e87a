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
        foreach (var (key, text) in Scopes)
        {
            if (Split(text) is { Count: > 0 } values)
            {
                scopes[key] = values;
            }
        }

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
            Number(errors, "budgets.tokensPerRun", TokensPerRun),
            Number(errors, "budgets.tokensPerDay", TokensPerDay),
            Number(errors, "budgets.maxTurns", MaxTurns),
            TimeSpan.FromMinutes(Number(errors, "budgets.maxWallTime", MaxWallTimeMinutes)),
            Number(errors, "budgets.maxConcurrentRuns", MaxConcurrentRuns),
            Number(errors, "budgets.maxToolCallsPerTurn", MaxToolCallsPerTurn),
            Number(errors, "budgets.maxToolCallsPerRun", MaxToolCallsPerRun));
        return new AgentDefinition(Name, Description, Instructions, string.IsNullOrWhiteSpace(Model) ? null : Model.Trim(), [.. Tools.Distinct(StringComparer.Ordinal)], scopes, triggers, budgets);
    }

    private static List<string> Split(string? text) =>
        [.. (text ?? string.Empty).Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int Number(Dictionary<string, string[]> errors, string field, string? text)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[field] = ["must be a whole number"];
        return 0;
    }
}
