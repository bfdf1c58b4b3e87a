using System.Text.RegularExpressions;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;
using AgentHost.Core.Notifications;
using AgentHost.Core.Redaction;
using AgentHost.Core.Runs;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Runs;
using Hangfire;

namespace AgentHost.Slack;

/// <summary>
/// The Slack mention trigger: a person in the directory mentions the bot in a channel an agent is bound
/// to (or DMs it, for their own agent) and a run starts with the message as input and that person as
/// requester. The mention was recorded before Slack was acknowledged; the run is created in the same
/// transaction that marks it handled, keyed on Slack's event_id, so neither a replay after a crash nor a
/// Slack retry starts a second run. The run's outcome is answered in the thread, once.
/// </summary>
public sealed partial class SlackMentionJob(
    ISlackClient slack,
    EmployeeDirectory directory,
    AgentStore agents,
    RunStore runs,
    NotificationStore notifications,
    InboundEventLog inbound,
    InboundWork work,
    RunDispatcher dispatcher,
    AgentRateLimits limits,
    SecretRedactor redactor,
    IAuditLog audit)
{
    public const string Source = "slack";

    /// <summary>The most of a run's output posted back; the rest is on the run's page.</summary>
    public const int MaxReplyCharacters = 3_000;

    /// <summary>Starts the run a recorded mention asks for, once; a replay of a handled mention does nothing.</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task HandleRecordedMentionAsync(string eventId, CancellationToken cancellationToken) =>
        work.RunAsync(SlackMention.Source, eventId, (payload, cancellationToken) => StartAsync(SlackMention.Deserialize(payload), cancellationToken), cancellationToken);

    private async Task StartAsync(SlackMention mention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mention);
        var thread = new MessageRef(mention.Channel, mention.ThreadTs ?? mention.Ts);
        var employee = directory.FindBySlackUserId(mention.SlackUserId);
        if (employee is null)
        {
            await ReplyAsync(thread, "I only take requests from people in the AgentHost directory.", cancellationToken);
            return;
        }

        var candidates = (await agents.ListAsync(owner: null, cancellationToken))
            .Where(a => !a.Disabled && a.Definition.Triggers?.SlackMention is { } trigger && (mention.DirectMessage
                ? trigger.DirectMessages && string.Equals(a.Owner, employee.Email, StringComparison.OrdinalIgnoreCase)
                : trigger.Channels?.Contains(mention.Channel, StringComparer.Ordinal) == true))
            .ToList();
        if (candidates.Count != 1)
        {
            await ReplyAsync(thread, candidates.Count == 0
                ? "No agent answers mentions here."
                : $"Several agents answer here ({string.Join(", ", candidates.Select(a => a.Definition.Name))}); ask their owners to keep one.", cancellationToken);
            return;
        }

        var agent = candidates[0];
        var budgets = agent.Definition.Budgets ?? AgentBudgets.Default;
        if (await runs.UnfinishedCountAsync(agent.Id, cancellationToken) >= budgets.MaxConcurrentRuns)
        {
            await ReplyAsync(thread, $"{agent.Definition.Name} is busy ({budgets.MaxConcurrentRuns} runs at once); try again shortly.", cancellationToken);
            return;
        }

        if (await limits.CheckRunAsync(agent.Id, AuditActor.Employee(employee.Email), cancellationToken) is { } refusal)
        {
            await ReplyAsync(thread, $"{agent.Definition.Name} has reached its hourly limit ({refusal.Message}).", cancellationToken);
            return;
        }

        var input = LeadingMentions().Replace(mention.Text, string.Empty).Trim();
        var run = await runs.CreateOnceAsync(
            agent.Id,
            employee.Email,
            input.Length == 0 ? "(an empty mention)" : input[..Math.Min(input.Length, RunEndpoints.MaxInputLength)],
            startedBy: employee.Email,
            Source,
            mention.EventId,
            inbound.MarkHandled(SlackMention.Source, mention.EventId),
            cancellationToken);
        if (run is null)
        {
            return;
        }

        await notifications.SetRunOriginAsync(run.Id, Source, thread, cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunQueued, AuditActor.Employee(employee.Email), agent.Id, run.Id, new()
        {
            ["trigger"] = mention.DirectMessage ? "slack_direct_message" : "slack_mention",
            ["channel"] = mention.Channel,
            ["eventId"] = mention.EventId,
            ["input"] = run.Input,
        }), cancellationToken);
        dispatcher.Enqueue(run.Id);
    }

    /// <summary>Answers a finished run's outcome in the thread it was asked in; nothing for other runs or a second time.</summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task ReplyAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run is null || run.Status is not (RunStatus.Succeeded or RunStatus.Failed or RunStatus.Stopped))
        {
            return;
        }

        var thread = await notifications.ClaimReplyAsync(runId, Source, cancellationToken);
        if (thread is null)
        {
            return;
        }

        var text = run.Status == RunStatus.Succeeded
            ? redactor.Redact(run.Output ?? "(no output)")
            : $"The run {(run.Status == RunStatus.Failed ? "failed" : "was stopped")}: {run.StopReason}";
        if (text.Length > MaxReplyCharacters)
        {
            text = text[..MaxReplyCharacters] + $"… (the rest is on run {run.Id})";
        }

        // The answer is an effect like any post: if it repeats untrusted content (a planted link, a relayed
        // instruction, another person's token), posting it would let the injection speak in the thread
        // without the gate. Then only a pointer to the run goes out; the requester reads it on its page.
        var taint = await ReplyTaintAsync(run, text, cancellationToken);
        if (taint.Count > 0)
        {
            text = $"The run finished, but its answer repeats content from {string.Join(", ", taint.Values.Distinct(StringComparer.Ordinal))} that someone else wrote, so it is not posted here. Read it on the run's page: /runs/{run.Id}";
        }

        await ReplyAsync(thread, text, cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunReplied, AuditActor.System, run.AgentId, run.Id, new()
        {
            ["channel"] = thread.Channel,
            ["thread"] = thread.Ts,
            ["characters"] = text.Length,
            ["withheld"] = taint.Count > 0,
            ["taintSources"] = new System.Text.Json.Nodes.JsonArray([.. taint.Values.Distinct(StringComparer.Ordinal).Select(v => System.Text.Json.Nodes.JsonValue.Create(v))]),
        }), cancellationToken);
    }

    /// <summary>Where the reply's text came from, traced like a slack.post_message text argument.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ReplyTaintAsync(Run run, string text, CancellationToken cancellationToken)
    {
        var agent = await agents.GetAsync(run.AgentId, cancellationToken);
        var history = ChatHistoryJson.Deserialize(await runs.HistoryAsync(run.Id, cancellationToken) ?? "[]");
        if (agent is null || history is null)
        {
            return new Dictionary<string, string> { ["text"] = "an unreadable run history" };
        }

        return RunProvenance.From(history, agent).Trace(null, new Dictionary<string, AgentHost.Core.Policies.ToolArgumentValue> { ["text"] = text });
    }

    private Task<SlackPosted> ReplyAsync(MessageRef thread, string text, CancellationToken cancellationToken) =>
        slack.PostMessageAsync(new SlackMessage(thread.Channel, text, ThreadTs: thread.Ts), cancellationToken);

    [GeneratedRegex(@"^(\s*<@[A-Z0-9]+(\|[^>]*)?>)+", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingMentions();
}
