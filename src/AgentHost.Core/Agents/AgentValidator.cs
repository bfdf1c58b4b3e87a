using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using Cronos;

namespace AgentHost.Core.Agents;

/// <summary>
/// Checks an agent definition field by field, so the form and the API can show each problem next to
/// its field. Returns the errors keyed by field path (name, tools[2], scopes.slack.channels, ...).
/// </summary>
public sealed partial class AgentValidator(ToolCatalog catalog)
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1_000;
    public const int MaxInstructionsLength = 20_000;
    public const int MaxScopeValues = 200;
    public const int MaxSchedules = 10;
    public const int MaxMentionChannels = 20;
    public const int MaxArrivalFolders = 10;

    public Dictionary<string, string[]> Validate(AgentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Text(errors, "name", "Name", definition.Name, MaxNameLength, required: true);
        Text(errors, "description", "Description", definition.Description, MaxDescriptionLength, required: false);
        Text(errors, "instructions", "Instructions", definition.Instructions, MaxInstructionsLength, required: true);
        if (definition.Model is { } model && (model.Length > 200 || model.Any(char.IsWhiteSpace)))
        {
            errors["model"] = ["The model must be a model name without spaces, at most 200 characters"];
        }

        var tools = definition.Tools ?? [];
        for (var i = 0; i < tools.Count; i++)
        {
            if (!catalog.TryGet(tools[i], out var tool))
            {
                errors[$"tools[{i}]"] = [$"There is no tool '{tools[i]}' on this host (known: {string.Join(", ", catalog.All.Select(t => t.Name).Order(StringComparer.Ordinal))})"];
            }
            else if (tool.Unavailable is { } reason)
            {
                errors["tools"] = [$"{tool.Name} cannot be granted: {reason}"];
            }
        }

        if (tools.Count != tools.Distinct(StringComparer.Ordinal).Count())
        {
            errors["tools"] = ["A tool is listed twice"];
        }

        var plugins = tools.Where(t => catalog.TryGet(t, out _)).Select(t => t[..t.IndexOf('.', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, values) in definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            var field = $"scopes.{key}";
            if (!catalog.TryGetScope(key, out var scope))
            {
                errors[field] = [$"There is no scope '{key}' (known: {string.Join(", ", catalog.ScopeKeys)})"];
            }
            else if (!plugins.Contains(scope.Plugin))
            {
                errors[field] = [$"{scope.Label} restrict {scope.Plugin} tools, but no {scope.Plugin} tool is granted"];
            }
            else if (values.Count > MaxScopeValues || values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > 200 || v.Contains('*', StringComparison.Ordinal)))
            {
                errors[field] = [$"{scope.Label}: at most {MaxScopeValues} exact values (no wildcards), each of at most 200 characters"];
            }
        }

        Triggers(errors, definition.Triggers ?? AgentTriggers.ManualOnly);
        EmailArrival(errors, definition);
        Budgets(errors, definition.Budgets ?? AgentBudgets.Default);
        return errors;
    }

    private static void Text(Dictionary<string, string[]> errors, string field, string label, string? value, int max, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"{label} is required"];
        }
        else if (value is not null && value.Length > max)
        {
            errors[field] = [$"{label} is longer than {max} characters"];
        }
    }

    private static void Triggers(Dictionary<string, string[]> errors, AgentTriggers triggers)
    {
        var channels = triggers.SlackMention?.Channels ?? [];
        if (channels.Count > MaxMentionChannels)
        {
            errors["triggers.slackMention.channels"] = [$"At most {MaxMentionChannels} Slack channels can start the agent by a mention"];
        }

        for (var i = 0; i < channels.Count && i < MaxMentionChannels; i++)
        {
            if (!SlackChannelId().IsMatch(channels[i] ?? string.Empty))
            {
                errors[$"triggers.slackMention.channels[{i}]"] = [$"'{channels[i]}' is not a Slack channel id (C… or G…); pick the channel by name"];
            }
        }

        var schedules = triggers.Schedules ?? [];
        if (schedules.Count > MaxSchedules)
        {
            errors["triggers.schedules"] = [$"At most {MaxSchedules} schedules"];
            return;
        }

        for (var i = 0; i < schedules.Count; i++)
        {
            try
            {
                CronExpression.Parse(schedules[i].Cron, CronFormat.Standard);
            }
            catch (CronFormatException ex)
            {
                errors[$"triggers.schedules[{i}].cron"] = [$"Schedule {i + 1}: '{schedules[i].Cron}' is not a five-field cron expression (minute hour day month weekday): {ex.Message}"];
            }

            if (!TimeZoneInfo.TryFindSystemTimeZoneById(schedules[i].TimeZone, out _))
            {
                errors[$"triggers.schedules[{i}].timeZone"] = [$"Schedule {i + 1}: there is no time zone '{schedules[i].TimeZone}' (use a name such as UTC or Europe/Berlin)"];
            }
        }
    }

    /// <summary>A folder an agent is woken by is one it may read: the trigger never widens the grant.</summary>
    private static void EmailArrival(Dictionary<string, string[]> errors, AgentDefinition definition)
    {
        if (definition.Triggers?.EmailArrival is not { } trigger)
        {
            return;
        }

        var folders = trigger.Folders ?? [];
        if (folders.Count is 0 or > MaxArrivalFolders)
        {
            errors["triggers.emailArrival.folders"] = [$"A new-mail trigger watches one to {MaxArrivalFolders} folders"];
            return;
        }

        if (definition.Tools?.Contains("email.read_message", StringComparer.Ordinal) != true)
        {
            errors["triggers.emailArrival"] = ["A new-mail trigger needs the tool email.read_message, to read the message a run is started for"];
        }

        var granted = definition.Scopes?.GetValueOrDefault("email.folders") ?? [];
        for (var i = 0; i < folders.Count; i++)
        {
            if (!granted.Contains(folders[i], StringComparer.Ordinal))
            {
                errors[$"triggers.emailArrival.folders[{i}]"] = [$"'{folders[i]}' is not one of the agent's mail folders (scope email.folders): a trigger never widens what the agent may read"];
            }
        }
    }

    private static void Budgets(Dictionary<string, string[]> errors, AgentBudgets budgets)
    {
        Range(errors, "budgets.tokensPerRun", "Tokens per run", budgets.TokensPerRun, 100, 2_000_000);
        Range(errors, "budgets.tokensPerDay", "Tokens per day", budgets.TokensPerDay, 100, 50_000_000);
        Range(errors, "budgets.maxTurns", "Model turns per run", budgets.MaxTurns, 1, 200);
        Range(errors, "budgets.maxConcurrentRuns", "Runs at once", budgets.MaxConcurrentRuns, 1, 50);
        Range(errors, "budgets.maxToolCallsPerTurn", "Tool calls per model reply", budgets.MaxToolCallsPerTurn, 1, 200);
        Range(errors, "budgets.maxToolCallsPerRun", "Tool calls per run", budgets.MaxToolCallsPerRun, 1, 10_000);
        if (budgets.MaxToolCallsPerRun < budgets.MaxToolCallsPerTurn && !errors.ContainsKey("budgets.maxToolCallsPerRun"))
        {
            errors["budgets.maxToolCallsPerRun"] = ["Tool calls per run must be at least the tool calls per model reply"];
        }

        if (budgets.TokensPerDay < budgets.TokensPerRun && !errors.ContainsKey("budgets.tokensPerDay"))
        {
            errors["budgets.tokensPerDay"] = ["Tokens per day must be at least the tokens per run"];
        }

        if (budgets.WallTime < TimeSpan.FromSeconds(10) || budgets.WallTime > TimeSpan.FromHours(24))
        {
            errors["budgets.maxWallTime"] = ["The time per run must be from 10 seconds to 24 hours (1 to 1440 minutes)"];
        }
    }

    private static void Range(Dictionary<string, string[]> errors, string field, string label, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors[field] = [$"{label} must be from {min} to {max}"];
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[CG][A-Z0-9]{2,20}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SlackChannelId();
}
