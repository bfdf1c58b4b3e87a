namespace AgentHost.Core.Agents;

/// <summary>What starts a run: its owner by hand, a schedule, a mention in Slack, or a new message in a mail folder.</summary>
public sealed record AgentTriggers(
    bool Manual = true,
    IReadOnlyList<AgentSchedule>? Schedules = null,
    SlackMentionTrigger? SlackMention = null,
    EmailArrivalTrigger? EmailArrival = null)
{
    public static AgentTriggers ManualOnly { get; } = new();
}
