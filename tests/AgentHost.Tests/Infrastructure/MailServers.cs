using System.Globalization;
using AgentHost.Plugins.Email;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// The real Dovecot and SMTP sink that test.sh starts on loopback (tests/mail/start-mail-servers.sh).
/// Every test logs in as a user of its own, so it gets an empty mailbox and parallel tests never meet.
/// Without the servers the tests fail, loudly: they are never skipped.
/// </summary>
public static class MailServers
{
    public const string ImapPassword = "agenthost-imap-test";
    public const string SmtpUser = "agenthost";
    public const string SmtpPassword = "agenthost-smtp-test";
    public const string From = "agents@example.com";

    public static int ImapPort => Port("AGENTHOST_TEST_IMAP_PORT");

    public static int SmtpPort => Port("AGENTHOST_TEST_SMTP_PORT");

    public static string SinkDirectory => Environment.GetEnvironmentVariable("AGENTHOST_TEST_SMTP_SINK")
        ?? throw new InvalidOperationException("AGENTHOST_TEST_SMTP_SINK is not set: run the tests with ./test.sh, which starts the mail servers");

    public static string NewUser() => "user" + Guid.NewGuid().ToString("N")[..12];

    public static EmailOptions Options(string user, string? imapPassword = null, int? imapPort = null) => new()
    {
        Imap = new MailServerOptions { Host = "127.0.0.1", Port = imapPort ?? ImapPort, Security = MailSecurity.None, User = user, Password = imapPassword ?? ImapPassword },
        Smtp = new MailServerOptions { Host = "127.0.0.1", Port = SmtpPort, Security = MailSecurity.None, User = SmtpUser, Password = SmtpPassword },
        From = From,
        MaxBodyCharacters = 2_000,
    };

    /// <summary>Host settings for the same servers, as an operator would write them.</summary>
    public static Dictionary<string, string?> HostSettings(string user, int pollSeconds = 3600) => new()
    {
        ["Email:Imap:Host"] = "127.0.0.1",
        ["Email:Imap:Port"] = ImapPort.ToString(CultureInfo.InvariantCulture),
        ["Email:Imap:Security"] = "None",
        ["Email:Imap:User"] = user,
        ["Email:Imap:Password"] = ImapPassword,
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = SmtpPort.ToString(CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:Smtp:User"] = SmtpUser,
        ["Email:Smtp:Password"] = SmtpPassword,
        ["Email:From"] = From,
        ["Email:PollSeconds"] = pollSeconds.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Delivers a message into a user's folder the way an MDA would (IMAP APPEND); returns its uid.</summary>
    /// <param name="deliveredAt">The INTERNALDATE the server records (default: now), for mail that was there before.</param>
    public static async Task<uint> AppendAsync(string user, string folder, MimeMessage message, MessageFlags flags = MessageFlags.None, DateTimeOffset? deliveredAt = null)
    {
        using var client = await ConnectAsync(user);
        var target = string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(folder);
        var uid = await target.AppendAsync(new AppendRequest(message, flags) { InternalDate = deliveredAt });
        await client.DisconnectAsync(true);
        return uid?.Id ?? throw new InvalidOperationException("the server did not return the appended uid (UIDPLUS)");
    }

    public static async Task<ImapClient> ConnectAsync(string user)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, ImapPassword);
        return client;
    }

    /// <summary>Subjects of a user's folder, oldest first.</summary>
    public static async Task<List<string>> SubjectsAsync(string user, string folder)
    {
        using var client = await ConnectAsync(user);
        var target = string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(folder);
        await target.OpenAsync(FolderAccess.ReadOnly);
        var subjects = target.Count == 0 ? [] : (await target.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(s => s.Envelope?.Subject ?? string.Empty).ToList();
        await client.DisconnectAsync(true);
        return subjects;
    }

    public static MimeMessage Message(string from, string subject, string body, string to = "triage@example.com", string? messageId = null)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        if (messageId is not null)
        {
            message.MessageId = messageId;
        }

        return message;
    }

    /// <summary>The mails the sink accepted whose subject contains <paramref name="marker"/> (tests share one sink).</summary>
    public static List<MimeMessage> Sent(string marker) =>
        Directory.GetFiles(SinkDirectory, "*.eml")
            .Select(f => MimeMessage.Load(f))
            .Where(m => m.Subject?.Contains(marker, StringComparison.Ordinal) == true)
            .ToList();

    private static int Port(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new InvalidOperationException($"{variable} is not set: run the tests with ./test.sh, which starts the mail servers");
}
