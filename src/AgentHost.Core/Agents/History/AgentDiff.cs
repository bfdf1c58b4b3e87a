using System.Globalization;
using System.Text.Json.Serialization;
using AgentHost.Core.Redaction;

namespace AgentHost.Core.Agents.History;

/// <summary>
/// What one save changed, field by field: instructions as changed lines, tools and each scope's values
/// as added and removed, triggers, budgets and the model as old → new. Both sides are compared the way
/// the domain compares them (<see cref="AgentService.Normalize"/>, and a scope's values by the gate's
/// canonical spelling), so a reordered list, a value in other case, or null against empty is no change.
/// A field that is equal by that comparison but spelled otherwise is no change either: the save is not a
/// version and its spelling is not stored. <see cref="Baseline"/> marks the first version of an agent that existed before history was kept.
/// </summary>
public sealed record AgentDiff(IReadOnlyList<AgentFieldChange> Changes, bool Baseline = false)
{
    public static AgentDiff None { get; } = new([]);

    [JsonIgnore]
    public bool IsEmpty => Changes.Count == 0 && !Baseline;

    /// <param name="before">The definition before the save; null for the save that created the agent.</param>
    /// <param name="after">The definition saved.</param>
    /// <param name="canonical">A scope value's canonical spelling (scope key, value); values are only trimmed if null.</param>
    public static AgentDiff Between(AgentDefinition? before, AgentDefinition after, Func<string, string, string>? canonical = null)
    {
        ArgumentNullException.ThrowIfNull(after);
        canonical ??= (_, value) => value.Trim();
        var old = AgentService.Normalize(before ?? new AgentDefinition(null, null, null, null, null, null, null, null));
        var @new = AgentService.Normalize(after);
        var changes = new List<AgentFieldChange>();
        Scalar(changes, "name", old.Name, @new.Name);
        Scalar(changes, "description", old.Description, @new.Description);
        if (LineDiff.Between(old.Instructions, @new.Instructions) is { Count: > 0 } lines)
        {
            changes.Add(new AgentFieldChange("instructions", Lines: lines));
        }

        Scalar(changes, "model", old.Model, @new.Model);
        Set(changes, "tools", old.Tools, @new.Tools, v => v.Trim());
        foreach (var key in old.Scopes!.Keys.Union(@new.Scopes!.Keys).Order(StringComparer.Ordinal))
        {
            Set(changes, $"scopes.{key}", old.Scopes.GetValueOrDefault(key), @new.Scopes.GetValueOrDefault(key), v => canonical(key, v));
        }

        Triggers(changes, old.Triggers!, @new.Triggers!, canonical);
        Budgets(changes, old.Budgets!, @new.Budgets!);
        return changes.Count == 0 ? None : new AgentDiff(changes);
    }

    /// <summary>A copy with every value passed through the redactor: a secret pasted into instructions never reaches history or audit.</summary>
    public AgentDiff Redacted(SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        string? Text(string? value) => value is null ? null : redactor.Redact(value);
        IReadOnlyList<string>? All(IReadOnlyList<string>? values) => values?.Select(redactor.Redact).ToList();
        return this with
        {
            Changes = [.. Changes.Select(c => c with
            {
                Before = Text(c.Before),
                After = Text(c.After),
                Added = All(c.Added),
                Removed = All(c.Removed),
                Lines = c.Lines?.Select(l => l with { Text = redactor.Redact(l.Text) }).ToList(),
            })],
        };
    }

    private static void Triggers(List<AgentFieldChange> changes, AgentTriggers old, AgentTriggers @new, Func<string, string, string> canonical)
    {
        Scalar(changes, "triggers.manual", Word(old.Manual), Word(@new.Manual));
        Set(changes, "triggers.schedules", old.Schedules?.Select(Schedule).ToList(), @new.Schedules?.Select(Schedule).ToList(), v => v);
        Set(changes, "triggers.slackMention.channels", old.SlackMention?.Channels, @new.SlackMention?.Channels, v => canonical("slack.channels", v));
        Scalar(changes, "triggers.slackMention.directMessages", Word(old.SlackMention?.DirectMessages == true), Word(@new.SlackMention?.DirectMessages == true));
        Set(changes, "triggers.emailArrival.folders", old.EmailArrival?.Folders, @new.EmailArrival?.Folders, v => canonical("email.folders", v));
    }

    private static void Budgets(List<AgentFieldChange> changes, AgentBudgets old, AgentBudgets @new)
    {
        Number(changes, "budgets.tokensPerRun", old.TokensPerRun, @new.TokensPerRun);
        Number(changes, "budgets.tokensPerDay", old.TokensPerDay, @new.TokensPerDay);
        Number(changes, "budgets.maxTurns", old.MaxTurns, @new.MaxTurns);
        Scalar(changes, "budgets.maxWallTime", old.WallTime.ToString("c", CultureInfo.InvariantCulture), @new.WallTime.ToString("c", CultureInfo.InvariantCulture));
        Number(changes, "budgets.maxConcurrentRuns", old.MaxConcurrentRuns, @new.MaxConcurrentRuns);
        Number(changes, "budgets.maxToolCallsPerTurn", old.MaxToolCallsPerTurn, @new.MaxToolCallsPerTurn);
        Number(changes, "budgets.maxToolCallsPerRun", old.MaxToolCallsPerRun, @new.MaxToolCallsPerRun);
    }

    private static void Number(List<AgentFieldChange> changes, string field, int old, int @new) =>
        Scalar(changes, field, old.ToString(CultureInfo.InvariantCulture), @new.ToString(CultureInfo.InvariantCulture));

    private static void Scalar(List<AgentFieldChange> changes, string field, string? old, string? @new)
    {
        if (!string.Equals(old ?? string.Empty, @new ?? string.Empty, StringComparison.Ordinal))
        {
            changes.Add(new AgentFieldChange(field, Before: old, After: @new));
        }
    }

    /// <summary>
    /// Added and removed by canonical value, compared exactly: the canonical spelling already folds case where
    /// the target system does (Slack ids, domains, INBOX) and keeps it where it does not (other mail folders).
    /// Each value is shown as it was spelled.
    /// </summary>
    private static void Set(List<AgentFieldChange> changes, string field, IReadOnlyList<string>? old, IReadOnlyList<string>? @new, Func<string, string> canonical)
    {
        var before = (old ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        var after = (@new ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        var had = before.Select(canonical).ToHashSet(StringComparer.Ordinal);
        var has = after.Select(canonical).ToHashSet(StringComparer.Ordinal);
        var added = after.Where(v => !had.Contains(canonical(v))).DistinctBy(canonical, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var removed = before.Where(v => !has.Contains(canonical(v))).DistinctBy(canonical, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0 || removed.Count > 0)
        {
            changes.Add(new AgentFieldChange(field, Added: added, Removed: removed));
        }
    }

    private static string Schedule(AgentSchedule schedule) =>
        $"{schedule.Cron.Trim()} ({schedule.TimeZone.Trim()})" + (string.IsNullOrWhiteSpace(schedule.Input) ? string.Empty : $": {schedule.Input.Trim()}");

    private static string Word(bool value) => value ? "yes" : "no";
}
