namespace AgentHost.Core.Agents;

/// <summary>What starts a run: its owner by hand, a schedule, or a mention in Slack. Email arrival arrives with its plugin.</summary>
public sealed record AgentTriggers(bool Manual = true, IReadOnlyList<AgentSchedule>? Schedules = null, SlackMentionTrigger? SlackMention = null)
{
    public static AgentTriggers ManualOnly { get; } = new();
}
