using System.Text.Json;

namespace AgentHost.Slack;

/// <summary>
/// An Approve or Reject button pressed in Slack: by whom, on which approval, in which channel; a rejection
/// sent from the reason form carries the reason as <paramref name="Comment"/>.
/// </summary>
public sealed record SlackClick(string SlackUserId, string ApprovalId, bool Approve, string Channel, string? Comment = null)
{
    /// <summary>The inbound_events source of clicks, recorded before Slack is acknowledged.</summary>
    public const string Source = "slack_click";

    /// <summary>The clicks of one request as stored: only what counting needs (no response_url, which is a credential).</summary>
    public static string Serialize(IReadOnlyList<SlackClick> clicks) => JsonSerializer.Serialize(clicks);

    public static IReadOnlyList<SlackClick> Deserialize(string payload) => JsonSerializer.Deserialize<List<SlackClick>>(payload) ?? [];
}
