using Hangfire;

namespace AgentHost.Agents;

/// <summary>
/// What a cron trigger of an agent fires: Runs implements it (a run on behalf of the owner), so the
/// agents feature keeps Hangfire's recurring jobs in step without knowing how runs start.
/// </summary>
public interface IAgentScheduleTrigger
{
    // On the interface: Hangfire reads job filters from the method the job names, which is this one.
    [AutomaticRetry(Attempts = 0)]
    Task TriggerAsync(string agentId, int scheduleIndex, CancellationToken cancellationToken);
}
