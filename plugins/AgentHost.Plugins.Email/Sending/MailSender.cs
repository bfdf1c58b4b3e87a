using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AgentHost.Plugins.Email.Sending;

/// <summary>
/// Sends through the configured SMTP account, one connection per mail: sends are rare next to reads,
/// and a fresh connection never carries a half-finished transaction from an earlier failure.
/// </summary>
public sealed class MailSender(IOptions<EmailOptions> options)
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var settings = options.Value;
        var message = Compose(mail, settings.From!);
        var server = $"{settings.Smtp.Host}:{settings.Smtp.Port}";
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.Smtp.Host!, settings.Smtp.Port, settings.Smtp.Security.ToMailKit(), cancellationToken);
            if (!string.IsNullOrEmpty(settings.Smtp.User))
            {
                await client.AuthenticateAsync(settings.Smtp.User, settings.Smtp.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
        }
        catch (AuthenticationException ex)
        {
            throw new MailServiceException($"the SMTP server {server} refused the login of '{settings.Smtp.User}'; check Email:Smtp:User and Email:Smtp:Password", ex);
        }
        catch (SmtpCommandException ex)
        {
            var who = ex.Mailbox is null ? string.Empty : $" for {ex.Mailbox.Address}";
            throw new MailServiceException($"the SMTP server {server} refused the mail{who}: {ex.Message} ({(int)ex.StatusCode}); nothing was sent", ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or SslHandshakeException or SmtpProtocolException or ServiceNotConnectedException)
        {
            throw new MailServiceException($"the SMTP server {server} cannot be reached or dropped the connection: {ex.Message}", ex);
        }
    }

    internal static MimeMessage Compose(OutgoingMail mail, string from)
    {
        var message = new MimeMessage
        {
            MessageId = mail.MessageId,
            Subject = mail.Subject,
            Body = new TextPart("plain") { Text = mail.Body },
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.AddRange(mail.To.Select(MailboxAddress.Parse));
        message.Cc.AddRange(mail.Cc.Select(MailboxAddress.Parse));
        if (mail.InReplyTo is { } parent)
        {
            // RFC 5322 3.6.4: the parent's References followed by the parent itself.
            message.InReplyTo = parent;
            foreach (var reference in mail.References.Append(parent).Distinct(StringComparer.Ordinal))
            {
                message.References.Add(reference);
            }
        }

        return message;
    }
}
