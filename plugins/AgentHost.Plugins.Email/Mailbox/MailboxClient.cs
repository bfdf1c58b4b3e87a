using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AgentHost.Plugins.Email.Mailbox;

/// <summary>
/// The IMAP work of the email tools and the arrival trigger, on pooled connections. Messages are named
/// by folder and IMAP UID; bodies are fetched with BODY.PEEK, so reading never marks a message seen.
/// </summary>
public sealed class MailboxClient(ImapConnectionPool pool, IOptions<EmailOptions> options)
{
    /// <summary>A text part larger than this is not downloaded: no mail can make a run fetch gigabytes.</summary>
    public const long MaxBodyPartBytes = 8 * 1024 * 1024;

    private const int SnippetCharacters = 200;

    public Task<IReadOnlyList<MessageSummary>> ListAsync(string folderName, bool unreadOnly, int limit, CancellationToken cancellationToken) =>
        pool.UseAsync<IReadOnlyList<MessageSummary>>(async (client, ct) =>
        {
            var folder = await OpenAsync(client, folderName, FolderAccess.ReadOnly, ct);
            var uids = await folder.SearchAsync(unreadOnly ? SearchQuery.NotSeen : SearchQuery.All, ct);
            var newest = uids.OrderByDescending(u => u.Id).Take(limit).ToList();
            if (newest.Count == 0)
            {
                return [];
            }

            var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.PreviewText;
            var summaries = await folder.FetchAsync(newest, items, ct);
            return summaries.OrderByDescending(s => s.UniqueId.Id).Select(s => new MessageSummary(
                s.UniqueId.Id,
                s.Envelope?.MessageId,
                s.Envelope?.From?.ToString() ?? string.Empty,
                s.Envelope?.Subject ?? string.Empty,
                s.Envelope?.Date ?? s.InternalDate ?? DateTimeOffset.MinValue,
                s.Flags?.HasFlag(MessageFlags.Seen) == true,
                s.Flags?.HasFlag(MessageFlags.Flagged) == true,
                Snippet(s.PreviewText))).ToList();
        }, repeatable: true, cancellationToken);

    /// <summary>
    /// The mailbox's folders (IMAP LIST of the personal namespace), by full name, INBOX first: the agent
    /// form's pick list. Folders that cannot hold messages (\Noselect, \NonExistent) are left out.
    /// </summary>
    public Task<IReadOnlyList<string>> FoldersAsync(CancellationToken cancellationToken) =>
        pool.UseAsync<IReadOnlyList<string>>(async (client, ct) =>
        {
            var root = client.PersonalNamespaces.Count > 0 ? client.PersonalNamespaces[0] : new FolderNamespace('/', string.Empty);
            var folders = await client.GetFoldersAsync(root, subscribedOnly: false, ct);
            return [.. folders
                .Where(f => (f.Attributes & (FolderAttributes.NoSelect | FolderAttributes.NonExistent)) == 0)
                .Select(f => f.FullName)
                .Append(client.Inbox.FullName)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(f => !string.Equals(f, "INBOX", StringComparison.OrdinalIgnoreCase))
                .ThenBy(f => f, StringComparer.Ordinal)];
        }, repeatable: true, cancellationToken);

    public Task<MessageContent> ReadAsync(string folderName, uint id, CancellationToken cancellationToken) =>
        pool.UseAsync(async (client, ct) =>
        {
            var folder = await OpenAsync(client, folderName, FolderAccess.ReadOnly, ct);
            var uid = new UniqueId(id);
            var found = await folder.FetchAsync([uid], MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure | MessageSummaryItems.InternalDate, ct);
            var summary = found.Count == 1 ? found[0] : throw new MailboxItemNotFoundException($"no message with id {id} in folder '{folderName}'");
            var (body, cut) = await BodyAsync(folder, summary, ct);
            var envelope = summary.Envelope;
            return new MessageContent(
                id,
                envelope?.MessageId,
                envelope?.From?.ToString() ?? string.Empty,
                envelope?.To?.Mailboxes.Select(m => m.ToString()).ToList() ?? [],
                envelope?.Cc?.Mailboxes.Select(m => m.ToString()).ToList() ?? [],
                envelope?.Subject ?? string.Empty,
                envelope?.Date ?? summary.InternalDate ?? DateTimeOffset.MinValue,
                envelope?.InReplyTo,
                body,
                cut,
                summary.Attachments.Select(a => new AttachmentInfo(a.FileName ?? "(unnamed)", a.ContentType.MimeType, (long)a.Octets)).ToList());
        }, repeatable: true, cancellationToken);

    /// <summary>Moves a message; returns its uid in the destination when the server says (UIDPLUS).</summary>
    public Task<uint?> MoveAsync(string folderName, uint id, string destinationName, CancellationToken cancellationToken) =>
        pool.UseAsync(async (client, ct) =>
        {
            var destination = await FolderAsync(client, destinationName, ct);
            var folder = await OpenAsync(client, folderName, FolderAccess.ReadWrite, ct);
            var uid = await ExistingAsync(folder, folderName, id, ct);
            var moved = await folder.MoveToAsync(uid, destination, ct);
            return moved?.Id;
        }, repeatable: false, cancellationToken);

    public Task<bool> FlagAsync(string folderName, uint id, MessageFlags flag, bool add, CancellationToken cancellationToken) =>
        pool.UseAsync(async (client, ct) =>
        {
            var folder = await OpenAsync(client, folderName, FolderAccess.ReadWrite, ct);
            var uid = await ExistingAsync(folder, folderName, id, ct);
            await folder.StoreAsync(uid, new StoreFlagsRequest(add ? StoreAction.Add : StoreAction.Remove, flag) { Silent = true }, ct);
            return add;
        }, repeatable: true, cancellationToken);

    /// <summary>
    /// The messages of a folder after <paramref name="afterUid"/>; or, with <paramref name="deliveredSince"/>,
    /// those the server received at or after that moment (a trigger's first look at a folder).
    /// </summary>
    public Task<FolderArrivals> ArrivalsAsync(string folderName, uint afterUid, DateTimeOffset? deliveredSince, CancellationToken cancellationToken) =>
        pool.UseAsync(async (client, ct) =>
        {
            var folder = await OpenAsync(client, folderName, FolderAccess.ReadOnly, ct);
            List<uint> uids;
            if (deliveredSince is { } since)
            {
                // SINCE has day granularity in the server's zone; the exact cut is made on INTERNALDATE.
                var candidates = await folder.SearchAsync(SearchQuery.DeliveredAfter(since.UtcDateTime.Date.AddDays(-1)), ct);
                var dated = candidates.Count == 0 ? [] : await folder.FetchAsync(candidates, MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate, ct);
                uids = dated.Where(s => s.InternalDate >= since).Select(s => s.UniqueId.Id).ToList();
            }
            else
            {
                // "n:*" always matches the newest message, even one below n, hence the filter.
                var range = new UniqueIdRange(new UniqueId(afterUid == uint.MaxValue ? afterUid : afterUid + 1), UniqueId.MaxValue);
                uids = (await folder.SearchAsync(SearchQuery.Uids(range), ct)).Select(u => u.Id).Where(u => u > afterUid).ToList();
            }

            uids.Sort();
            return new FolderArrivals(folder.UidValidity, folder.UidNext?.Id ?? 0, uids);
        }, repeatable: true, cancellationToken);

    /// <summary>The References of a message found by Message-ID in the inbox, so a reply threads under the whole conversation.</summary>
    public Task<IReadOnlyList<string>> ReferencesOfAsync(string messageId, CancellationToken cancellationToken) =>
        pool.UseAsync<IReadOnlyList<string>>(async (client, ct) =>
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly, ct);
            var found = await client.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), ct);
            if (found.Count == 0)
            {
                return [];
            }

            var headers = await client.Inbox.FetchAsync([found[^1]], MessageSummaryItems.UniqueId | MessageSummaryItems.References, ct);
            return headers.Count == 0 || headers[0].References is not { } references ? [] : references.ToList();
        }, repeatable: true, cancellationToken);

    private static async Task<IMailFolder> OpenAsync(ImapClient client, string name, FolderAccess access, CancellationToken cancellationToken)
    {
        // Selected again on every use: a pooled connection's view of a folder is as old as its last
        // command, and a SEARCH on a stale view misses mail that arrived meanwhile.
        var folder = await FolderAsync(client, name, cancellationToken);
        await folder.OpenAsync(access, cancellationToken);
        return folder;
    }

    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        if (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return client.Inbox;
        }

        try
        {
            return await client.GetFolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            throw new MailboxItemNotFoundException($"there is no folder '{name}'");
        }
    }

    private static async Task<UniqueId> ExistingAsync(IMailFolder folder, string folderName, uint id, CancellationToken cancellationToken)
    {
        var uid = new UniqueId(id);
        var found = await folder.SearchAsync(SearchQuery.Uids([uid]), cancellationToken);
        return found.Contains(uid) ? uid : throw new MailboxItemNotFoundException($"no message with id {id} in folder '{folderName}'");
    }

    private async Task<(string Body, int Cut)> BodyAsync(IMailFolder folder, IMessageSummary summary, CancellationToken cancellationToken)
    {
        var part = (BodyPart?)summary.TextBody ?? summary.HtmlBody;
        if (part is not BodyPartText text)
        {
            return ("(this message has no text body)", 0);
        }

        if (text.Octets > MaxBodyPartBytes)
        {
            return ($"(the text body is {text.Octets:N0} bytes, over the {MaxBodyPartBytes:N0} byte limit; not read)", 0);
        }

        var entity = await folder.GetBodyPartAsync(summary.UniqueId, text, cancellationToken);
        var content = entity is TextPart textPart ? (textPart.IsHtml ? HtmlText.From(textPart.Text) : textPart.Text) : string.Empty;
        var max = options.Value.MaxBodyCharacters;
        return content.Length > max ? (content[..max], content.Length - max) : (content, 0);
    }

    private static string Snippet(string? preview)
    {
        var flat = string.Join(' ', (preview ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length > SnippetCharacters ? flat[..SnippetCharacters] + "…" : flat;
    }
}
