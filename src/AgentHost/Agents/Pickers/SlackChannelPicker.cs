using System.Text.RegularExpressions;
using AgentHost.Agents.Authority;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using Microsoft.Extensions.Options;

namespace AgentHost.Agents.Pickers;

/// <summary>
/// Slack channels for the agent form, by name: the channels the host's bot can see (conversations.list,
/// public ones and private ones it is in), narrowed to those the owner is a member of (the same
/// <see cref="SlackMembership"/> check as saving) and never the approvals channel. A name typed into a
/// channel field ("#Releases", " releases ") becomes its id, which is what tool calls and Slack events
/// carry; a name no channel has is refused with the nearest names, rather than stored and never matched.
/// </summary>
public sealed partial class SlackChannelPicker(ISlackClient slack, SlackMembership membership, IOptions<SlackOptions> options, ILogger<SlackChannelPicker> logger)
{
    // 20 pages of 200: a workspace with more channels than that is listed partly; a typed id still works.
    private const int MaxPages = 20;
    private const int PageSize = 200;
    private const int MaxChecked = 200;

    public bool Enabled => options.Value.Enabled;

    /// <summary>Every channel the bot can see, or null when Slack is not configured or did not answer (the form then takes ids).</summary>
    public async Task<IReadOnlyList<SlackChannel>?> ChannelsAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return null;
        }

        var channels = new List<SlackChannel>();
        try
        {
            string? cursor = null;
            for (var page = 0; page < MaxPages; page++)
            {
                var answer = await slack.ChannelsAsync(PageSize, cursor, cancellationToken);
                channels.AddRange(answer.Channels);
                if ((cursor = answer.NextCursor) is null)
                {
                    break;
                }
            }
        }
        catch (SlackApiException ex)
        {
            LogListFailed(ex.Error);
            return null;
        }

        return channels;
    }

    /// <summary>The channels of <paramref name="channels"/> that <paramref name="owner"/> may give an agent, as "#name" options.</summary>
    public async Task<IReadOnlyList<ScopeOption>> UsableAsync(string owner, IReadOnlyList<SlackChannel> channels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var usable = new List<ScopeOption>();
        foreach (var channel in channels.Where(c => !IsApprovals(c.Id)).Take(MaxChecked))
        {
            if ((await membership.CheckAsync(owner, channel.Id, cancellationToken)).Allowed)
            {
                usable.Add(new ScopeOption(channel.Id, "#" + channel.Name));
            }
        }

        return [.. usable.OrderBy(o => o.Label, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A typed value: a channel's name (any case, with or without '#', spaces around) becomes its id, if the
    /// owner is a member; an id passes as typed (saving checks it); anything else is refused with suggestions.
    /// </summary>
    public async Task<ScopeResolution> ResolveAsync(string owner, IReadOnlyList<SlackChannel> channels, string typed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(typed);
        var text = typed.Trim();
        var name = text.TrimStart('#').Trim().ToLowerInvariant();
        var byName = channels.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        if (byName is null)
        {
            if (!text.StartsWith('#') && ChannelId().IsMatch(text))
            {
                return ScopeResolution.To(channels.FirstOrDefault(c => string.Equals(c.Id, text, StringComparison.OrdinalIgnoreCase))?.Id ?? text);
            }

            var near = Suggest(channels, name);
            return ScopeResolution.Refused($"There is no Slack channel named #{name} that the host can see{(near.Count == 0 ? string.Empty : $"; did you mean {string.Join(" or ", near.Select(n => "#" + n))}?")}");
        }

        if (IsApprovals(byName.Id))
        {
            return ScopeResolution.Refused($"#{byName.Name} is the approvals channel; only an admin can grant it");
        }

        var verdict = await membership.CheckAsync(owner, byName.Id, cancellationToken);
        return verdict.Allowed
            ? ScopeResolution.To(byName.Id)
            : ScopeResolution.Refused($"#{byName.Name} cannot be given to the agent: {verdict.Reason}");
    }

    private bool IsApprovals(string id) => string.Equals(options.Value.ApprovalChannel, id, StringComparison.OrdinalIgnoreCase);

    /// <summary>Names that contain what was typed, or are within two edits of it; at most three.</summary>
    private static List<string> Suggest(IReadOnlyList<SlackChannel> channels, string name) =>
        name.Length == 0
            ? []
            : [.. channels
                .Select(c => (c.Name, Distance: c.Name.Contains(name, StringComparison.Ordinal) || name.Contains(c.Name, StringComparison.Ordinal) ? 0 : Distance(c.Name, name)))
                .Where(x => x.Distance <= 2)
                .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
                .Select(x => x.Name)
                .Take(3)];

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    [GeneratedRegex("^[CG][A-Z0-9]{2,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelId();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack did not list its channels for the agent form ({Error}); the form takes channel ids")]
    private partial void LogListFailed(string error);
}
