using System.Text.Json.Nodes;

namespace AgentHost.Plugins.Slack.Api;

/// <summary>chat.postMessage / chat.update: text is the notification fallback, blocks the Block Kit layout.</summary>
public sealed record SlackMessage(string Channel, string Text, JsonArray? Blocks = null, string? ThreadTs = null);

/// <summary>Where a posted message landed, to update or thread on it later.</summary>
public sealed record SlackPosted(string Channel, string Ts);

/// <summary>One message of a channel or thread as Slack returns it.</summary>
public sealed record SlackHistoryMessage(string Ts, string? User, string? BotId, string Text, string? ThreadTs);

/// <summary>One page of conversations.history or conversations.replies.</summary>
public sealed record SlackHistoryPage(IReadOnlyList<SlackHistoryMessage> Messages, string? NextCursor);

/// <summary>One page of conversations.members: user ids, and the cursor of the next page (null on the last).</summary>
public sealed record SlackMembersPage(IReadOnlyList<string> Members, string? NextCursor);

public sealed record SlackUser(string Id, string Name, string? RealName, string? Email, bool IsBot, bool Deleted);

/// <summary>A channel as conversations.list names it: id, name (lower-case, without '#') and whether it is private.</summary>
public sealed record SlackChannel(string Id, string Name, bool IsPrivate);

/// <summary>One page of conversations.list, and the cursor of the next page (null on the last).</summary>
public sealed record SlackChannelsPage(IReadOnlyList<SlackChannel> Channels, string? NextCursor);

/// <summary>auth.test: who the bot token belongs to.</summary>
public sealed record SlackIdentity(string UserId, string TeamId, string? BotId, string Url);

/// <summary>A modal Slack opened: its id names it in the view_submission that follows.</summary>
public sealed record SlackView(string Id, string? Hash);
