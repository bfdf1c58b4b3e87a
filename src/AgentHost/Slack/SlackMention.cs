using System.Text.Json;

namespace AgentHost.Slack;

/// <summary>A person asked the bot for something: an app_mention in a channel, or a direct message.</summary>
public sealed record SlackMention(string EventId, string SlackUserId, string Channel, string Ts, string? ThreadTs, string Text, bool DirectMessage)
{
    /// <summary>The inbound_events source of mentions, recorded with their payload before Slack is acknowledged.</summary>
    public const string Source = "slack_mention";

    public string Serialize() => JsonSerializer.Serialize(this);

    public static SlackMention Deserialize(string payload) =>
        JsonSerializer.Deserialize<SlackMention>(payload) ?? throw new JsonException("an empty mention payload");
}
