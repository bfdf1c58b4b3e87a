using AgentHost.Plugins.Slack.Api;

namespace AgentHost.Agents.Authority;

/// <summary>
/// Whether an employee is a member of a Slack channel, asked of Slack itself: the employee's Slack user by
/// their e-mail (users.lookupByEmail), then the channel's members page by page (conversations.members).
/// A private channel the host's bot cannot see answers channel_not_found, and is refused like a channel
/// that does not exist: nobody gets a private channel through an agent without being in it.
/// </summary>
public sealed class SlackMembership(ISlackClient slack, EntitlementCache cache)
{
    // A channel of 200,000 members is 200 pages of 1,000; beyond that we refuse rather than page forever.
    private const int MaxPages = 200;

    public Task<ScopeVerdict> CheckAsync(string owner, string channel, CancellationToken cancellationToken) =>
        cache.GetAsync($"slack\n{owner.ToLowerInvariant()}\n{channel}", token => AskAsync(owner, channel, token), cancellationToken);

    private async Task<ScopeVerdict> AskAsync(string owner, string channel, CancellationToken cancellationToken)
    {
        string user;
        try
        {
            user = (await slack.LookupUserByEmailAsync(owner, cancellationToken)).Id;
        }
        catch (SlackApiException ex) when (ex.Error == "users_not_found")
        {
            return ScopeVerdict.No($"{owner} has no Slack account (users.lookupByEmail found none)");
        }
        catch (SlackApiException ex)
        {
            return ScopeVerdict.Unverified($"Slack could not say whether {owner} is a member ({ex.Error}); try again");
        }

        try
        {
            string? cursor = null;
            for (var page = 0; page < MaxPages; page++)
            {
                var members = await slack.MembersAsync(channel, 1000, cursor, cancellationToken);
                if (members.Members.Contains(user, StringComparer.Ordinal))
                {
                    return ScopeVerdict.Yes;
                }

                if ((cursor = members.NextCursor) is null)
                {
                    return ScopeVerdict.No($"{owner} is not a member of this channel");
                }
            }

            return ScopeVerdict.Unverified($"the channel has more members than the host pages through; {owner} was not found");
        }
        catch (SlackApiException ex) when (ex.Error == "channel_not_found")
        {
            return ScopeVerdict.No("no channel the host can see (unknown, or private without the host's bot)");
        }
        catch (SlackApiException ex)
        {
            return ScopeVerdict.Unverified($"Slack could not list the channel's members ({ex.Error}); try again");
        }
    }
}
