using System.Globalization;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using Hangfire;

namespace AgentHost.Runs;

/// <summary>A cron trigger firing: a run on behalf of the agent's owner, unless the agent is disabled or busy.</summary>
public sealed partial class ScheduleJob(AgentStore agents, RunStore runs, RunDispatcher dispatcher, AgentRateLimits limits, IAuditLog audit, ILogger<ScheduleJob> logger) : AgentHost.Agents.IAgentScheduleTrigger
{
    [AutomaticRetry(Attempts = 0)]
    public async Task TriggerAsync(string agentId, int scheduleIndex, CancellationToken cancellationToken)
    {
        var agent = await agents.GetAsync(agentId, cancellationToken);
        var schedules = agent?.Definition.Triggers?.Schedules ?? [];
        if (agent is null || agent.Disabled || scheduleIndex >= schedules.Count)
        {
            return;
        }

        var budgets = agent.Definition.Budgets ?? AgentBudgets.Default;
        if (await runs.UnfinishedCountAsync(agent.Id, cancellationToken) >= budgets.MaxConcurrentRuns)
        {
            LogSkipped(logger, agent.Id, scheduleIndex);
            return;
        }

        if (await limits.CheckRunAsync(agent.Id, AuditActor.System, cancellationToken) is not null)
        {
            // Audited by the check; a cron trigger has nobody to answer, and the next firing tries again.
            return;
        }

        var schedule = schedules[scheduleIndex];
        var run = await runs.CreateAsync(agent.Id, agent.Owner, schedule.Input ?? "Scheduled run: do what your instructions say for this time.", cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunQueued, AuditActor.System, agent.Id, run.Id, new()
        {
            ["trigger"] = "schedule",
            ["cron"] = schedule.Cron,
            ["timeZone"] = schedule.TimeZone,
            ["schedule"] = scheduleIndex.ToString(CultureInfo.InvariantCulture),
        }), cancellationToken);
        dispatcher.Enqueue(run.Id);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleIndex} of agent {AgentId} skipped: the agent is at its concurrent-run limit")]
    private static partial void LogSkipped(ILogger logger, string agentId, int scheduleIndex);
}
