namespace AgentHost.Plugins.Slack.Api;

/// <summary>
/// The Slack Web API methods AgentHost uses. Every failure is a <see cref="SlackApiException"/>.
/// The seam lets host features be tested without Slack; the plugin's own tests use the real client
/// against the emulator.
/// </summary>
public interface ISlackClient
{
    Task<SlackPosted> PostMessageAsync(SlackMessage message, CancellationToken cancellationToken);

    Task UpdateMessageAsync(SlackMessage message, string ts, CancellationToken cancellationToken);

    Task PostEphemeralAsync(string channel, string user, string text, CancellationToken cancellationToken);

    Task<SlackHistoryPage> HistoryAsync(string channel, int limit, string? cursor, CancellationToken cancellationToken);

    Task<SlackHistoryPage> RepliesAsync(string channel, string ts, int limit, string? cursor, CancellationToken cancellationToken);

    Task AddReactionAsync(string channel, string timestamp, string name, CancellationToken cancellationToken);

    Task<SlackUser> UserInfoAsync(string user, CancellationToken cancellationToken);

    Task<SlackUser> LookupUserByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>conversations.members: one page of a channel's member ids; a private channel the bot is not in is channel_not_found.</summary>
    Task<SlackMembersPage> MembersAsync(string channel, int limit, string? cursor, CancellationToken cancellationToken);

    Task<SlackIdentity> AuthTestAsync(CancellationToken cancellationToken);

    /// <summary>conversations.list: one page of the channels the bot can see (public, and private ones it is in), archived ones left out.</summary>
    Task<SlackChannelsPage> ChannelsAsync(int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>views.open: shows a modal to the person whose click gave <paramref name="triggerId"/> (valid for 3 s, once).</summary>
    Task<SlackView> OpenViewAsync(string triggerId, System.Text.Json.Nodes.JsonObject view, CancellationToken cancellationToken);
}
