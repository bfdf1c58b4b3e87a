using AgentHost.Plugins.Email;
using AgentHost.Plugins.Email.Mailbox;
using MailKit;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace AgentHost.Tests.Email;

/// <summary>The IMAP side of the email plugin against the real Dovecot the test script starts.</summary>
public sealed class MailboxClientTests : IAsyncLifetime
{
    private readonly string _user = MailServers.NewUser();
    private ImapConnectionPool _pool = null!;
    private MailboxClient _mailbox = null!;

    public Task InitializeAsync()
    {
        (_pool, _mailbox) = Create(MailServers.Options(_user));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _pool.DisposeAsync();

    [Fact]
    public async Task List_NewestFirst_UnreadOnly_AndLimited()
    {
        var first = await MailServers.AppendAsync(_user, "INBOX", MailServers.Message("dave@example.com", "first", "one"));
        var second = await MailServers.AppendAsync(_user, "INBOX", MailServers.Message("mallory@outside.test", "second", "two   lines\nof text"), MessageFlags.Seen);
        var third = await MailServers.AppendAsync(_user, "INBOX", MailServers.Message("carol@example.com", "third", "three"), MessageFlags.Flagged);

        var all = await _mailbox.ListAsync("INBOX", unreadOnly: false, limit: 10, CancellationToken.None);
        var unread = await _mailbox.ListAsync("INBOX", unreadOnly: true, limit: 10, CancellationToken.None);
        var newest = await _mailbox.ListAsync("INBOX", unreadOnly: false, limit: 1, CancellationToken.None);

        all.Select(m => m.Id).ShouldBe([third, second, first]);
        all[1].From.ShouldContain("mallory@outside.test");
        all[1].Seen.ShouldBeTrue();
        all[1].Snippet.ShouldBe("two lines of text");
        all[0].Flagged.ShouldBeTrue();
        unread.Select(m => m.Subject).ShouldBe(["third", "first"]);
        newest.ShouldHaveSingleItem().Subject.ShouldBe("third");
    }

    [Fact]
    public async Task Folders_ListTheMailboxsSelectableFolders_InboxFirst()
    {
        var folders = await _mailbox.FoldersAsync(CancellationToken.None);

        // The test server creates Archive and Triage for every user (tests/mail/start-mail-servers.sh).
        folders.ShouldBe(["INBOX", "Archive", "Triage"]);
    }

    [Fact]
    public async Task Read_GivesTextAndHeaders_ListsAttachmentsWithoutOpening_AndDoesNotMarkSeen()
    {
        var builder = new BodyBuilder { TextBody = "Please review the attached invoice." };
        builder.Attachments.Add("invoice.pdf", new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2d, 0x31 }, new ContentType("application", "pdf"));
        var message = new MimeMessage { Subject = "Invoice 42", Body = builder.ToMessageBody(), MessageId = "inv42@vendor.test" };
        message.From.Add(MailboxAddress.Parse("billing@vendor.test"));
        message.To.Add(MailboxAddress.Parse("triage@example.com"));
        message.Cc.Add(MailboxAddress.Parse("bob@example.com"));
        var uid = await MailServers.AppendAsync(_user, "INBOX", message);

        var read = await _mailbox.ReadAsync("INBOX", uid, CancellationToken.None);
        var listed = await _mailbox.ListAsync("INBOX", unreadOnly: true, limit: 5, CancellationToken.None);

        read.MessageId.ShouldBe("inv42@vendor.test");
        read.Subject.ShouldBe("Invoice 42");
        read.Cc.ShouldHaveSingleItem().ShouldContain("bob@example.com");
        read.Body.Trim().ShouldBe("Please review the attached invoice.");
        var attachment = read.Attachments.ShouldHaveSingleItem();
        attachment.FileName.ShouldBe("invoice.pdf");
        attachment.ContentType.ShouldBe("application/pdf");
        read.Body.ShouldNotContain("JVBERi0x", customMessage: "the attachment's content is never fetched");
        listed.ShouldHaveSingleItem().Id.ShouldBe(uid, "reading peeks: the message stays unread");
    }

    [Fact]
    public async Task Read_HtmlOnlyMail_IsText_AndLongBodiesAreCut()
    {
        var html = new MimeMessage { Subject = "html", Body = new TextPart("html") { Text = "<html><style>p{color:red}</style><script>alert(1)</script><p>Hello &amp; welcome</p><p>Second</p></html>" } };
        html.From.Add(MailboxAddress.Parse("news@outside.test"));
        var htmlUid = await MailServers.AppendAsync(_user, "INBOX", html);
        var longUid = await MailServers.AppendAsync(_user, "INBOX", MailServers.Message("dave@example.com", "long", new string('x', 5_000)));

        var read = await _mailbox.ReadAsync("INBOX", htmlUid, CancellationToken.None);
        var cut = await _mailbox.ReadAsync("INBOX", longUid, CancellationToken.None);

        read.Body.ShouldContain("Hello & welcome");
        read.Body.ShouldContain("Second");
        read.Body.ShouldNotContain("alert(1)");
        read.Body.ShouldNotContain("color:red");
        read.Body.ShouldNotContain("<p>");
        cut.Body.Length.ShouldBe(2_000);
        cut.BodyCharactersCut.ShouldBeGreaterThanOrEqualTo(3_000);
    }

    [Fact]
    public async Task Move_PutsTheMessageInTheDestination_AndFlagSetsAndClears()
    {
        var uid = await MailServers.AppendAsync(_user, "INBOX", MailServers.Message("dave@example.com", "to triage", "body"));

        await _mailbox.FlagAsync("INBOX", uid, MessageFlags.Flagged, add: true, CancellationToken.None);
        var flagged = (await _mailbox.ListAsync("INBOX", false, 5, CancellationToken.None)).Single().Flagged;
        var newUid = await _mailbox.MoveAsync("INBOX", uid, "Triage", CancellationToken.None);
        await _mailbox.FlagAsync("Triage", newUid!.Value, MessageFlags.Flagged, add: false, CancellationToken.None);

        flagged.ShouldBeTrue();
        (await MailServers.SubjectsAsync(_user, "INBOX")).ShouldBeEmpty();
        (await MailServers.SubjectsAsync(_user, "Triage")).ShouldBe(["to triage"]);
        (await _mailbox.ListAsync("Triage", false, 5, CancellationToken.None)).Single().Flagged.ShouldBeFalse();
    }

    [Fact]
    public async Task MissingFolderOrMessage_GivesAClearError()
    {
        var uid = await MailServers.AppendAsync(_user, "INBOX", MailServers.Message("dave@example.com", "x", "y"));

        var noFolder = await Should.ThrowAsync<MailboxItemNotFoundException>(() => _mailbox.ListAsync("Payroll", false, 5, CancellationToken.None));
        var noMessage = await Should.ThrowAsync<MailboxItemNotFoundException>(() => _mailbox.ReadAsync("INBOX", uid + 100, CancellationToken.None));
        var noDestination = await Should.ThrowAsync<MailboxItemNotFoundException>(() => _mailbox.MoveAsync("INBOX", uid, "Nowhere", CancellationToken.None));
        var moveMissing = await Should.ThrowAsync<MailboxItemNotFoundException>(() => _mailbox.MoveAsync("INBOX", uid + 100, "Archive", CancellationToken.None));

        noFolder.Message.ShouldBe("there is no folder 'Payroll'");
        noMessage.Message.ShouldBe($"no message with id {uid + 100} in folder 'INBOX'");
        noDestination.Message.ShouldBe("there is no folder 'Nowhere'");
        moveMissing.Message.ShouldContain("no message with id");
        (await MailServers.SubjectsAsync(_user, "INBOX")).ShouldBe(["x"], "a failed move changes nothing");
    }

    [Fact]
    public async Task WrongPassword_IsAClearError_WithoutThePassword()
    {
        var (pool, mailbox) = Create(MailServers.Options(_user, imapPassword: "wrong-password-7f3a9c"));
        await using var _ = pool;

        var error = await Should.ThrowAsync<MailServiceException>(() => mailbox.ListAsync("INBOX", false, 5, CancellationToken.None));

        error.Message.ShouldContain("refused the login");
        error.Message.ShouldContain(_user);
        error.Message.ShouldNotContain("wrong-password-7f3a9c");
    }

    [Fact]
    public async Task ServerGone_IsAClearError()
    {
        var closedPort = ClosedPort();
        var (pool, mailbox) = Create(MailServers.Options(_user, imapPort: closedPort));
        await using var _ = pool;

        var error = await Should.ThrowAsync<MailServiceException>(() => mailbox.ListAsync("INBOX", false, 5, CancellationToken.None));

        error.Message.ShouldContain($"127.0.0.1:{closedPort} cannot be reached");
    }

    [Fact]
    public async Task PooledConnections_AreReused_AndADroppedOneIsReplaced()
    {
        await MailServers.AppendAsync(_user, "INBOX", MailServers.Message("dave@example.com", "x", "y"));
        for (var i = 0; i < 5; i++)
        {
            await _mailbox.ListAsync("INBOX", false, 5, CancellationToken.None);
        }

        var afterReuse = _pool.Connects;
        await _pool.UseAsync(async (client, ct) =>
        {
            // The server hanging up on an idle connection looks like this to the next user of it.
            client.Disconnect(false, ct);
            return await Task.FromResult(0);
        }, repeatable: true, CancellationToken.None);
        var listed = await _mailbox.ListAsync("INBOX", false, 5, CancellationToken.None);

        afterReuse.ShouldBe(1);
        listed.ShouldHaveSingleItem();
        _pool.Connects.ShouldBe(2);
    }

    private static (ImapConnectionPool Pool, MailboxClient Mailbox) Create(EmailOptions options)
    {
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var pool = new ImapConnectionPool(wrapped, NullLogger<ImapConnectionPool>.Instance);
        return (pool, new MailboxClient(pool, wrapped));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
