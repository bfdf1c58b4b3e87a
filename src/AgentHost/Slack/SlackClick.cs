namespace AgentHost.Slack;

/// <summary>An Approve or Reject button pressed in Slack: by whom, on which approval, in which channel.</summary>
public sealed record SlackClick(string SlackUserId, string ApprovalId, bool Approve, string Channel);
