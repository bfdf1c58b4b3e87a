using System.Globalization;
using System.Text;
using AgentHost.Plugins.Email.Mailbox;

namespace AgentHost.Plugins.Email.Tools;

/// <summary>A read message as the model sees it: headers, attachments named but not opened, the body cut to size.</summary>
internal static class MessageText
{
    public static string Of(MessageContent m)
    {
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

        return text.ToString();
    }
}
