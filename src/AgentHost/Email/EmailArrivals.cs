using System.Collections.Concurrent;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.EmailArrivals;
using AgentHost.Core.Runs;
using AgentHost.Plugins.Email;
using AgentHost.Plugins.Email.Mailbox;
using AgentHost.Runs;

namespace AgentHost.Email;

/// <summary>
/// One look at every folder an email arrival trigger watches: each message past the agent's cursor
/// starts one run, oldest first, as far as the agent's concurrency budget and its hourly run limit
/// (Limits:RunsPerAgentPerHour, as for every other start) allow; the rest wait for a later look, so a
/// burst of mail is delayed, never dropped. Every worker may look at once: the store
/// lets only one of them start a message's run.
/// </summary>
public sealed partial class EmailArrivals(
    AgentStore agents,
    RunStore runs,
    MailboxCursorStore cursors,
    MailboxClient mailbox,
    RunDispatcher dispatcher,
    AgentRateLimits limits,
    IAuditLog audit,
    TimeProvider time,
    ILogger<EmailArrivals> logger)
{
    private readonly ConcurrentDictionary<(string Agent, string Folder), string> _lastProblem = new();

    // When each agent's hourly limit was last audited as holding its mail back, and until when that holds:
    // one budget.exceeded per window, not one per poll.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _limitedUntil = new();

    /// <summary>Looks at every watched folder once; returns how many runs it started.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var started = 0;
        foreach (var agent in await agents.ListAsync(owner: null, cancellationToken))
        {
            if (agent.Disabled || agent.Definition.Triggers?.EmailArrival?.Folders is not { Count: > 0 } folders)
            {
                continue;
            }

            var room = (agent.Definition.Budgets ?? AgentBudgets.Default).MaxConcurrentRuns - await runs.UnfinishedCountAsync(agent.Id, cancellationToken);
            if (room > 0 && await HourlyRoomAsync(agent.Id, cancellationToken) is var hourly && hourly < room)
            {
                room = hourly;
            }

            foreach (var folder in folders)
            {
                if (room <= 0)
                {
                    break;
                }

                var count = await PollFolderAsync(agent, folder, room, cancellationToken);
                started += count;
                room -= count;
            }
        }

        return started;
    }

    private async Task<int> PollFolderAsync(Agent agent, string folder, int room, CancellationToken cancellationToken)
    {
        try
        {
            var cursor = await cursors.GetAsync(agent.Id, folder, cancellationToken);
            var arrivals = await mailbox.ArrivalsAsync(folder, cursor?.LastUid ?? 0, cursor is null ? WholeSeconds(agent.UpdatedAt) : null, cancellationToken);
            if (cursor is null || cursor.UidValidity != arrivals.UidValidity)
            {
                cursor = await BaselineAsync(agent, folder, cursor, arrivals, cancellationToken);
            }

            var started = 0;
            foreach (var uid in arrivals.Uids.Where(u => u > cursor.LastUid).Take(room))
            {
                if (await StartAsync(agent, cursor, uid, cancellationToken))
                {
                    started++;
                }
            }

            _lastProblem.TryRemove((agent.Id, folder), out _);
            return started;
        }
        catch (Exception ex) when (ex is MailServiceException or MailboxItemNotFoundException)
        {
            await ProblemAsync(agent, folder, ex.Message, cancellationToken);
            return 0;
        }
    }

    /// <summary>
    /// The first look starts after the messages that arrived before the trigger was saved. After a
    /// UIDVALIDITY change the old uids mean nothing, so whatever the folder holds now counts as seen:
    /// audited, because those messages get no run.
    /// </summary>
    private async Task<MailboxCursor> BaselineAsync(Agent agent, string folder, MailboxCursor? previous, FolderArrivals arrivals, CancellationToken cancellationToken)
    {
        var first = previous is null;
        var lastUid = first && arrivals.Uids.Count > 0 ? arrivals.Uids[0] - 1 : Math.Max(arrivals.UidNext, 1) - 1;
        var cursor = new MailboxCursor(agent.Id, folder, arrivals.UidValidity, lastUid);
        await cursors.BaselineAsync(cursor, cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.MailboxBaselined, AuditActor.System, agent.Id, null, new()
        {
            ["folder"] = folder,
            ["uidValidity"] = (long)arrivals.UidValidity,
            ["lastUid"] = (long)lastUid,
            ["reason"] = first ? "first look at the folder" : $"UIDVALIDITY changed from {previous!.UidValidity}; messages now in the folder start no run",
        }), cancellationToken);
        LogBaselined(logger, agent.Id, folder, arrivals.UidValidity, lastUid);
        return cursor;
    }

    private async Task<bool> StartAsync(Agent agent, MailboxCursor cursor, uint uid, CancellationToken cancellationToken)
    {
        var input = $"A new email arrived in the folder '{cursor.Folder}' with id {uid}. Read it with email.read_message (folder \"{cursor.Folder}\", id \"{uid}\") and handle it as your instructions say.";
        var run = await cursors.StartRunAsync(cursor, uid, agent.Owner, input, cancellationToken);
        if (run is null)
        {
            return false;
        }

        await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunQueued, AuditActor.System, agent.Id, run.Id, new()
        {
            ["trigger"] = "email_arrival",
            ["folder"] = cursor.Folder,
            ["messageId"] = (long)uid,
            ["uidValidity"] = (long)cursor.UidValidity,
            ["input"] = run.Input,
        }), cancellationToken);
        dispatcher.Enqueue(run.Id);
        return true;
    }

    /// <summary>Runs the hourly limit still allows; at the limit, the refusal is audited once per window.</summary>
    private async Task<int> HourlyRoomAsync(string agentId, CancellationToken cancellationToken)
    {
        var left = await limits.RunsLeftAsync(agentId, cancellationToken);
        var now = time.GetUtcNow();
        if (left > 0 || (_limitedUntil.TryGetValue(agentId, out var until) && now < until))
        {
            return left;
        }

        if (await limits.CheckRunAsync(agentId, AuditActor.System, cancellationToken) is { } refusal)
        {
            _limitedUntil[agentId] = now + refusal.RetryAfter;
        }

        return left;
    }

    /// <summary>INTERNALDATE has whole seconds: mail of the second the trigger was saved in counts as new.</summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset moment) => moment.AddTicks(-(moment.UtcTicks % TimeSpan.TicksPerSecond));

    /// <summary>A folder that cannot be read is audited once per distinct problem, not once per poll.</summary>
    private async Task ProblemAsync(Agent agent, string folder, string problem, CancellationToken cancellationToken)
    {
        LogUnavailable(logger, agent.Id, folder, problem);
        if (_lastProblem.TryGetValue((agent.Id, folder), out var last) && last == problem)
        {
            return;
        }

        _lastProblem[(agent.Id, folder)] = problem;
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.MailboxUnavailable, AuditActor.System, agent.Id, null, new()
        {
            ["folder"] = folder,
            ["problem"] = problem,
        }), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email trigger of agent {AgentId} starts in {Folder} after uid {LastUid} (UIDVALIDITY {UidValidity})")]
    private static partial void LogBaselined(ILogger logger, string agentId, string folder, uint uidValidity, uint lastUid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email trigger of agent {AgentId} cannot read {Folder}: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string agentId, string folder, string problem);
}
