using AgentHost.Core.Agents;
using Hangfire;

namespace AgentHost.Agents;

/// <summary>
/// Keeps Hangfire's recurring jobs in step with the agents' cron triggers: one job per schedule, in the
/// schedule's time zone; none for a disabled agent. The agents in the store are the truth; start-up
/// syncs them all again because the in-memory job storage forgets.
/// </summary>
public sealed class AgentSchedules(IRecurringJobManager recurring)
{
    public void Sync(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var schedules = agent.Disabled ? [] : agent.Definition.Triggers?.Schedules ?? [];
        for (var i = 0; i < AgentValidator.MaxSchedules; i++)
        {
            var id = JobId(agent.Id, i);
            if (i >= schedules.Count)
            {
                recurring.RemoveIfExists(id);
                continue;
            }

            var index = i;
            var agentId = agent.Id;
            recurring.AddOrUpdate<IAgentScheduleTrigger>(
                id,
                job => job.TriggerAsync(agentId, index, CancellationToken.None),
                schedules[i].Cron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(schedules[i].TimeZone) });
        }
    }

    public static string JobId(string agentId, int index) => $"agent-{agentId}-schedule-{index}";
}
