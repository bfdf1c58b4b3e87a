using System.ComponentModel;
using System.Globalization;
using System.Text;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Slack.Api;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Slack.Tools;

/// <summary>
/// The Slack functions of the tool catalog. They run only after the gate allowed the call, so they check
/// arguments, not permissions. What others wrote in Slack comes back marked untrusted.
/// </summary>
public sealed class SlackTools(ISlackClient slack)
{
    public const int MaxReadMessages = 200;
    private const int PageSize = 100;
    private const string ChannelHelp = "a channel id (C0123ABCD) or name (#general)";

    [KernelFunction("post_message"), Description("Post a message to a Slack channel.")]
    [ToolGate(ToolEffect.Write, ToolReach.External)]
    public Task<ToolResult> PostMessageAsync(
        [Description(ChannelHelp), GateArgument(ArgumentKind.Channel, Sink = true)] string? channel = null,
        [Description("the message text, Slack mrkdwn, at most 40,000 characters")] string? text = null,
        [Description("the ts of the thread's first message, to reply in that thread"), GateArgument(Name = "thread_ts")] string? threadTs = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var to = ToolText.Required(channel, "channel");
        var message = ToolText.Required(text, "text");
        if (message.Length > 40_000)
        {
            throw new ArgumentException("text: Slack takes at most 40,000 characters");
        }

        var posted = await slack.PostMessageAsync(new SlackMessage(to, message, ThreadTs: threadTs), cancellationToken);
        return new ToolResult(true, $"posted to {posted.Channel} as message {posted.Ts}");
    });

    [KernelFunction("read_channel"), Description("Read recent messages of a Slack channel.")]
    [ToolGate(ToolEffect.Read, ToolReach.Internal, UntrustedResult = true)]
    public Task<ToolResult> ReadChannelAsync(
        [Description(ChannelHelp), GateArgument(ArgumentKind.Channel)] string? channel = null,
        [Description("how many of the newest messages, 1 to 200 (default 20)")] string? limit = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var from = ToolText.Required(channel, "channel");
        return Listing(await ReadAsync((cursor, size) => slack.HistoryAsync(from, size, cursor, cancellationToken), Limit(limit)));
    });

    [KernelFunction("read_thread"), Description("Read a Slack thread: its first message and the replies (conversations.replies).")]
    [ToolGate(ToolEffect.Read, ToolReach.Internal, UntrustedResult = true)]
    public Task<ToolResult> ReadThreadAsync(
        [Description(ChannelHelp), GateArgument(ArgumentKind.Channel)] string? channel = null,
        [Description("the ts of the thread's first message"), GateArgument(Name = "thread_ts")] string? threadTs = null,
        [Description("how many messages, 1 to 200 (default 20)")] string? limit = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var from = ToolText.Required(channel, "channel");
        var ts = ToolText.Required(threadTs, "thread_ts");
        return Listing(await ReadAsync((cursor, size) => slack.RepliesAsync(from, ts, size, cursor, cancellationToken), Limit(limit)));
    });

    [KernelFunction("add_reaction"), Description("Add an emoji reaction to a message.")]
    [ToolGate(ToolEffect.Write, ToolReach.Internal)]
    public Task<ToolResult> AddReactionAsync(
        [Description(ChannelHelp), GateArgument(ArgumentKind.Channel, Sink = true)] string? channel = null,
        [Description("the ts of the message")] string? timestamp = null,
        [Description("the emoji name, such as eyes or white_check_mark")] string? name = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var to = ToolText.Required(channel, "channel");
        await slack.AddReactionAsync(to, ToolText.Required(timestamp, "timestamp"), ToolText.Required(name, "name"), cancellationToken);
        return new ToolResult(true, "reaction added");
    });

    [KernelFunction("lookup_user"), Description("Find a Slack user by email address.")]
    [ToolGate(ToolEffect.Read, ToolReach.Internal, UntrustedResult = true)]
    public Task<ToolResult> LookupUserAsync(
        [Description("the user's e-mail address"), GateArgument(ArgumentKind.Email)] string? email = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var user = await slack.LookupUserByEmailAsync(ToolText.Required(email, "email"), cancellationToken);

        // Display names are chosen by their owners, so they are content, not instructions.
        return new ToolResult(true, $"{user.Id} {user.Name} ({user.RealName}){(user.Deleted ? " deactivated" : string.Empty)}", Untrusted: true);
    });

    private static int Limit(string? limit) => limit is not null
        ? int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= MaxReadMessages ? n : throw new ArgumentException($"limit: a whole number from 1 to {MaxReadMessages}")
        : 20;

    private static async Task<List<SlackHistoryMessage>> ReadAsync(Func<string?, int, Task<SlackHistoryPage>> page, int wanted)
    {
        var messages = new List<SlackHistoryMessage>(wanted);
        string? cursor = null;
        do
        {
            var next = await page(cursor, Math.Min(PageSize, wanted - messages.Count));
            messages.AddRange(next.Messages.Take(wanted - messages.Count));
            cursor = next.NextCursor;
        }
        while (cursor is not null && messages.Count < wanted);

        return messages;
    }

    private static ToolResult Listing(List<SlackHistoryMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{message.Ts}] {message.User ?? message.BotId ?? "unknown"}: {message.Text}").Append('\n');
        }

        return new ToolResult(true, messages.Count == 0 ? "no messages" : text.ToString(), Untrusted: true);
    }

    private static async Task<ToolResult> Guard(Func<Task<ToolResult>> run)
    {
        try
        {
            return await run();
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
}
