using System.Globalization;
using System.Text;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Slack.Api;

namespace AgentHost.Plugins.Slack.Tools;

/// <summary>
/// The Slack functions of the tool catalog. It runs only after the gate allowed the call, so it checks
/// arguments, not permissions. What others wrote in Slack comes back marked untrusted.
/// </summary>
public sealed class SlackToolExecutor(ISlackClient slack) : IToolExecutor
{
    public const int MaxReadMessages = 200;
    private const int PageSize = 100;

    public IReadOnlyCollection<string> Functions { get; } = ["slack.post_message", "slack.read_channel", "slack.add_reaction", "slack.lookup_user"];

    public async Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        try
        {
            return invocation.Function switch
            {
                "slack.post_message" => await PostAsync(invocation, cancellationToken),
                "slack.read_channel" => await ReadAsync(invocation, cancellationToken),
                "slack.add_reaction" => await ReactAsync(invocation, cancellationToken),
                "slack.lookup_user" => await LookupAsync(invocation, cancellationToken),
                _ => new ToolResult(false, $"{invocation.Function} is not a Slack function"),
            };
        }
        catch (ArgumentException ex)
        {
            return new ToolResult(false, ex.Message);
        }
        catch (SlackApiException ex)
        {
            return new ToolResult(false, $"Slack refused {ex.Method}: {ex.Error}");
        }
    }

    private async Task<ToolResult> PostAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var channel = call.RequiredText("channel");
        var text = call.RequiredText("text");
        if (text.Length > 40_000)
        {
            throw new ArgumentException("text: Slack takes at most 40,000 characters");
        }

        var posted = await slack.PostMessageAsync(new SlackMessage(channel, text, ThreadTs: call.OptionalText("thread_ts")), cancellationToken);
        return new ToolResult(true, $"posted to {posted.Channel} as message {posted.Ts}");
    }

    private async Task<ToolResult> ReadAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var channel = call.RequiredText("channel");
        var wanted = call.OptionalText("limit") is { } limit
            ? int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= MaxReadMessages ? n : throw new ArgumentException($"limit: a whole number from 1 to {MaxReadMessages}")
            : 20;
        var messages = new List<SlackHistoryMessage>(wanted);
        string? cursor = null;
        do
        {
            var page = await slack.HistoryAsync(channel, Math.Min(PageSize, wanted - messages.Count), cursor, cancellationToken);
            messages.AddRange(page.Messages.Take(wanted - messages.Count));
            cursor = page.NextCursor;
        }
        while (cursor is not null && messages.Count < wanted);

        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{message.Ts}] {message.User ?? message.BotId ?? "unknown"}: {message.Text}").Append('\n');
        }

        return new ToolResult(true, messages.Count == 0 ? "no messages" : text.ToString(), Untrusted: true);
    }

    private async Task<ToolResult> ReactAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var channel = call.RequiredText("channel");
        await slack.AddReactionAsync(channel, call.RequiredText("timestamp"), call.RequiredText("name"), cancellationToken);
        return new ToolResult(true, "reaction added");
    }

    private async Task<ToolResult> LookupAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var user = await slack.LookupUserByEmailAsync(call.RequiredText("email"), cancellationToken);

        // Display names are chosen by their owners, so they are content, not instructions.
        return new ToolResult(true, $"{user.Id} {user.Name} ({user.RealName}){(user.Deleted ? " deactivated" : string.Empty)}", Untrusted: true);
    }
}
