namespace AgentHost.Slack;

/// <summary>A person asked the bot for something: an app_mention in a channel, or a direct message.</summary>
public sealed record SlackMention(string EventId, string SlackUserId, string Channel, string Ts, string? ThreadTs, string Text, bool DirectMessage);
