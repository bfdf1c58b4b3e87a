using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Email.Mailbox;
using AgentHost.Plugins.Email.Sending;
using Microsoft.Extensions.Options;
using static AgentHost.Plugins.Email.Tools.EmailArguments;

namespace AgentHost.Plugins.Email.Tools;

/// <summary>
/// The email functions of the tool catalog. It runs only after the gate allowed the call, so it checks
/// arguments, not permissions: but it sends to exactly the addresses the policy saw, one per value.
/// Everything a message carries, its sender included, comes back marked untrusted.
/// </summary>
public sealed partial class EmailToolExecutor(MailboxClient? mailbox, MailSender? sender, IOptions<EmailOptions> options) : IToolExecutor
{
    public const int MaxSubjectCharacters = 998;
    public const int MaxSendBodyCharacters = 100_000;

    public IReadOnlyCollection<string> Functions { get; } = ["email.list_messages", "email.read_message", "email.move_message", "email.flag_message", "email.send"];

    public async Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        try
        {
            return invocation.Function switch
            {
                "email.list_messages" => await ListAsync(invocation, cancellationToken),
                "email.read_message" => await ReadAsync(invocation, cancellationToken),
                "email.move_message" => await MoveAsync(invocation, cancellationToken),
                "email.flag_message" => await FlagAsync(invocation, cancellationToken),
                "email.send" => await SendAsync(invocation, cancellationToken),
                _ => new ToolResult(false, $"{invocation.Function} is not an email function"),
            };
        }
        catch (ArgumentException ex)
        {
            return new ToolResult(false, ex.Message);
        }
        catch (MailboxItemNotFoundException ex)
        {
            return new ToolResult(false, ex.Message);
        }
        catch (MailServiceException ex)
        {
            return new ToolResult(false, ex.Message);
        }
    }

    private MailboxClient Mailbox => mailbox ?? throw new ArgumentException("the mailbox is not configured on this host (Email:Imap:Host)");

    private async Task<ToolResult> ListAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var folder = call.RequiredText("folder");
        var messages = await Mailbox.ListAsync(folder, Flag(call, "unread_only"), Limit(call, 20, options.Value.MaxListMessages), cancellationToken);
        if (messages.Count == 0)
        {
            return new ToolResult(true, $"no messages in {folder}");
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
    }

    private async Task<ToolResult> ReadAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var m = await Mailbox.ReadAsync(call.RequiredText("folder"), MessageId(call), cancellationToken);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"id: {m.Id}\n")
            .Append(CultureInfo.InvariantCulture, $"message-id: <{m.MessageId}>\n")
            .Append(CultureInfo.InvariantCulture, $"from: {m.From}\n")
            .Append(CultureInfo.InvariantCulture, $"to: {string.Join(", ", m.To)}\n");
        if (m.Cc.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"cc: {string.Join(", ", m.Cc)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"date: {m.Date:yyyy-MM-dd HH:mm zzz}\n")
            .Append(CultureInfo.InvariantCulture, $"subject: {m.Subject}\n");
        foreach (var a in m.Attachments)
        {
            text.Append(CultureInfo.InvariantCulture, $"attachment (not opened): {a.FileName} ({a.ContentType}, {a.Bytes:N0} bytes)\n");
        }

        text.Append('\n').Append(m.Body);
        if (m.BodyCharactersCut > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n[cut: {m.BodyCharactersCut:N0} more characters]");
        }

        return new ToolResult(true, text.ToString(), Untrusted: true);
    }

    private async Task<ToolResult> MoveAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var folder = call.RequiredText("folder");
        var destination = call.RequiredText("destination");
        var id = MessageId(call);
        if (string.Equals(folder, destination, StringComparison.Ordinal))
        {
            throw new ArgumentException("destination: the message is already in that folder");
        }

        var newId = await Mailbox.MoveAsync(folder, id, destination, cancellationToken);
        return new ToolResult(true, newId is { } moved ? $"moved {id} from {folder} to {destination}, where its id is {moved}" : $"moved {id} from {folder} to {destination}");
    }

    private async Task<ToolResult> FlagAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var word = call.RequiredText("flag");
        if (!MailFlag.TryParse(word, out var flag, out var add))
        {
            throw new ArgumentException($"flag: one of {string.Join(", ", MailFlag.Known)}");
        }

        var id = MessageId(call);
        await Mailbox.FlagAsync(call.RequiredText("folder"), id, flag, add, cancellationToken);
        return new ToolResult(true, $"message {id} is now {word.Trim().ToLowerInvariant()}");
    }

    private async Task<ToolResult> SendAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var mailer = sender ?? throw new ArgumentException("sending is not configured on this host (Email:Smtp:Host)");
        var to = Recipients(call, "to");
        var cc = Recipients(call, "cc");
        if (to.Count == 0)
        {
            throw new ArgumentException("to: at least one recipient");
        }

        if (to.Count + cc.Count > options.Value.MaxRecipients)
        {
            throw new ArgumentException($"to, cc: at most {options.Value.MaxRecipients} recipients in all");
        }

        var subject = call.RequiredText("subject");
        if (subject.Length > MaxSubjectCharacters || subject.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"subject: one line of at most {MaxSubjectCharacters} characters");
        }

        var body = call.OptionalText("body") ?? string.Empty;
        if (body.Length > MaxSendBodyCharacters)
        {
            throw new ArgumentException($"body: at most {MaxSendBodyCharacters:N0} characters");
        }

        var parent = call.OptionalText("in_reply_to") is { Length: > 0 } replyTo ? ParentId(replyTo) : null;
        var references = parent is not null && mailbox is not null ? await mailbox.ReferencesOfAsync(parent, cancellationToken) : [];
        var messageId = $"{Safe(call.RunId)}.{Safe(call.CallId)}@{options.Value.From![(options.Value.From!.IndexOf('@', StringComparison.Ordinal) + 1)..]}";
        await mailer.SendAsync(new OutgoingMail(messageId, to, cc, subject, body, parent, references), cancellationToken);
        return new ToolResult(true, $"sent to {string.Join(", ", to.Concat(cc))} as <{messageId}>{(parent is null ? string.Empty : $", in reply to <{parent}>")}");
    }

    private static List<string> Recipients(ToolInvocation call, string name)
    {
        var values = List(call, name);
        for (var i = 0; i < values.Count; i++)
        {
            if (!Addresses.IsBareAddress(values[i]))
            {
                throw new ArgumentException($"{name}[{i}]: '{values[i]}' is not one plain address (name@domain, no display name, one per item)");
            }
        }

        return values.ToList();
    }

    private static string ParentId(string value)
    {
        var id = value.Trim().TrimStart('<').TrimEnd('>');
        return MessageIdShape().IsMatch(id) ? id : throw new ArgumentException("in_reply_to: the message-id of the message answered, as email.read_message shows it");
    }

    private static string Safe(string value) => UnsafeIdCharacters().Replace(value, "-");

    [GeneratedRegex(@"^[^\s<>@]+@[^\s<>@]+$", RegexOptions.CultureInvariant)]
    private static partial Regex MessageIdShape();

    [GeneratedRegex("[^A-Za-z0-9._-]", RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeIdCharacters();
}
