using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Email.Mailbox;
using AgentHost.Plugins.Email.Sending;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using static AgentHost.Plugins.Email.Tools.EmailArguments;

namespace AgentHost.Plugins.Email.Tools;

/// <summary>
/// The email functions of the tool catalog. They run only after the gate allowed the call, so they check
/// arguments, not permissions: but send goes to exactly the addresses the policy saw, one per value.
/// Everything a message carries, its sender included, comes back marked untrusted.
/// </summary>
public sealed partial class EmailTools(MailboxClient? mailbox, MailSender? sender, IOptions<EmailOptions> options)
{
    public const int MaxSubjectCharacters = 998;
    public const int MaxSendBodyCharacters = 100_000;
    private const string FolderHelp = "the IMAP folder, such as INBOX";
    private const string IdHelp = "the message id from email.list_messages";

    [KernelFunction("list_messages"), Description("List messages in a mail folder.")]
    [ToolGate(ToolEffect.Read, ToolReach.Internal, UntrustedResult = true)]
    public Task<ToolResult> ListMessagesAsync(
        [Description(FolderHelp), GateArgument(ArgumentKind.Folder)] string? folder = null,
        [Description("true to list only unread messages"), GateArgument(Name = "unread_only")] string? unreadOnly = null,
        [Description("how many of the newest messages (default 20)")] string? limit = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var from = ToolText.Required(folder, "folder");
        var messages = await Mailbox.ListAsync(from, Flag(unreadOnly, "unread_only"), Limit(limit, 20, options.Value.MaxListMessages), cancellationToken);
        if (messages.Count == 0)
        {
            return new ToolResult(true, $"no messages in {from}");
        }

        var text = new StringBuilder();
        foreach (var m in messages)
        {
            var state = string.Join(", ", new[] { m.Seen ? null : "unread", m.Flagged ? "flagged" : null }.OfType<string>());
            text.Append(CultureInfo.InvariantCulture, $"id {m.Id} | {m.Date:yyyy-MM-dd HH:mm zzz} | from {m.From} | subject {m.Subject}{(state.Length > 0 ? " | " + state : string.Empty)}\n");
            if (m.Snippet.Length > 0)
            {
                text.Append("    ").Append(m.Snippet).Append('\n');
            }
        }

        return new ToolResult(true, text.ToString(), Untrusted: true);
    });

    [KernelFunction("read_message"), Description("Read one message as text.")]
    [ToolGate(ToolEffect.Read, ToolReach.Internal, UntrustedResult = true)]
    public Task<ToolResult> ReadMessageAsync(
        [Description(FolderHelp), GateArgument(ArgumentKind.Folder)] string? folder = null,
        [Description(IdHelp)] string? id = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var m = await Mailbox.ReadAsync(ToolText.Required(folder, "folder"), MessageId(id), cancellationToken);
        return new ToolResult(true, MessageText.Of(m), Untrusted: true);
    });

    [KernelFunction("move_message"), Description("Move a message to another folder.")]
    [ToolGate(ToolEffect.Write, ToolReach.Internal)]
    public Task<ToolResult> MoveMessageAsync(
        [Description(FolderHelp), GateArgument(ArgumentKind.Folder)] string? folder = null,
        [Description(IdHelp)] string? id = null,
        [Description("the folder to move it to"), GateArgument(ArgumentKind.Folder, Sink = true)] string? destination = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var from = ToolText.Required(folder, "folder");
        var to = ToolText.Required(destination, "destination");
        var message = MessageId(id);
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            throw new ArgumentException("destination: the message is already in that folder");
        }

        var newId = await Mailbox.MoveAsync(from, message, to, cancellationToken);
        return new ToolResult(true, newId is { } moved ? $"moved {message} from {from} to {to}, where its id is {moved}" : $"moved {message} from {from} to {to}");
    });

    [KernelFunction("flag_message"), Description("Flag or unflag a message.")]
    [ToolGate(ToolEffect.Write, ToolReach.Internal)]
    public Task<ToolResult> FlagMessageAsync(
        [Description(FolderHelp), GateArgument(ArgumentKind.Folder)] string? folder = null,
        [Description(IdHelp)] string? id = null,
        [Description("seen, unseen, flagged or unflagged")] string? flag = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var word = ToolText.Required(flag, "flag");
        if (!MailFlag.TryParse(word, out var mailFlag, out var add))
        {
            throw new ArgumentException($"flag: one of {string.Join(", ", MailFlag.Known)}");
        }

        var message = MessageId(id);
        await Mailbox.FlagAsync(ToolText.Required(folder, "folder"), message, mailFlag, add, cancellationToken);
        return new ToolResult(true, $"message {message} is now {word.Trim().ToLowerInvariant()}");
    });

    [KernelFunction("send"), Description("Send an email.")]
    [ToolGate(ToolEffect.Write, ToolReach.External)]
    public Task<ToolResult> SendAsync(
        [Description("the recipients, one plain address (name@domain) per item"), GateArgument(ArgumentKind.Email, Sink = true)] string[]? to = null,
        [Description("the copied recipients, one plain address per item"), GateArgument(ArgumentKind.Email, Sink = true)] string[]? cc = null,
        [Description("one line"), GateArgument(ArgumentKind.Prose)] string? subject = null,
        [Description("the plain text body"), GateArgument(ArgumentKind.Prose)] string? body = null,
        [Description("the message-id of the message answered, as email.read_message shows it"), GateArgument(Name = "in_reply_to")] string? inReplyTo = null,
        [FromKernelServices] ToolInvocation? call = null,
        CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var mailer = sender ?? throw new ArgumentException("sending is not configured on this host (Email:Smtp:Host)");
        var invocation = call ?? throw new InvalidOperationException("email.send needs its invocation (run and call ids)");
        var recipients = Recipients(to, "to");
        var copied = Recipients(cc, "cc");
        if (recipients.Count == 0)
        {
            throw new ArgumentException("to: at least one recipient");
        }

        if (recipients.Count + copied.Count > options.Value.MaxRecipients)
        {
            throw new ArgumentException($"to, cc: at most {options.Value.MaxRecipients} recipients in all");
        }

        var line = ToolText.Required(subject, "subject");
        if (line.Length > MaxSubjectCharacters || line.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"subject: one line of at most {MaxSubjectCharacters} characters");
        }

        var text = body ?? string.Empty;
        if (text.Length > MaxSendBodyCharacters)
        {
            throw new ArgumentException($"body: at most {MaxSendBodyCharacters:N0} characters");
        }

        var parent = inReplyTo is { Length: > 0 } replyTo ? ParentId(replyTo) : null;
        var references = parent is not null && mailbox is not null ? await mailbox.ReferencesOfAsync(parent, cancellationToken) : [];
        var messageId = $"{Safe(invocation.RunId)}.{Safe(invocation.CallId)}@{options.Value.From![(options.Value.From!.IndexOf('@', StringComparison.Ordinal) + 1)..]}";
        await mailer.SendAsync(new OutgoingMail(messageId, recipients, copied, line, text, parent, references), cancellationToken);
        return new ToolResult(true, $"sent to {string.Join(", ", recipients.Concat(copied))} as <{messageId}>{(parent is null ? string.Empty : $", in reply to <{parent}>")}");
    });

    private MailboxClient Mailbox => mailbox ?? throw new ArgumentException("the mailbox is not configured on this host (Email:Imap:Host)");

    private static List<string> Recipients(string[]? values, string name)
    {
        var list = values ?? [];
        for (var i = 0; i < list.Length; i++)
        {
            if (!Addresses.IsBareAddress(list[i]))
            {
                throw new ArgumentException($"{name}[{i}]: '{list[i]}' is not one plain address (name@domain, no display name, one per item)");
            }
        }

        return [.. list];
    }

    private static string ParentId(string value)
    {
        var id = value.Trim().TrimStart('<').TrimEnd('>');
        return MessageIdShape().IsMatch(id) ? id : throw new ArgumentException("in_reply_to: the message-id of the message answered, as email.read_message shows it");
    }

    private static string Safe(string value) => UnsafeIdCharacters().Replace(value, "-");

    private static async Task<ToolResult> Guard(Func<Task<ToolResult>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (ex is ArgumentException or MailboxItemNotFoundException or MailServiceException)
        {
            return new ToolResult(false, ex.Message);
        }
    }

    [GeneratedRegex(@"^[^\s<>@]+@[^\s<>@]+$", RegexOptions.CultureInvariant)]
    private static partial Regex MessageIdShape();

    [GeneratedRegex("[^A-Za-z0-9._-]", RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeIdCharacters();
}
