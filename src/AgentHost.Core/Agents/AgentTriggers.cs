namespace AgentHost.Core.Agents;

/// <summary>What starts a run. Slack mentions and email arrival arrive with their plugins.</summary>
public sealed record AgentTriggers(bool Manual = true, IReadOnlyList<AgentSchedule>? Schedules = null)
{
    public static AgentTriggers ManualOnly { get; } = new();
}
