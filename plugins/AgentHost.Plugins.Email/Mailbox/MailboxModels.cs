namespace AgentHost.Plugins.Email.Mailbox;

/// <summary>One line of a folder listing. Everything but the uid was written by the sender.</summary>
public sealed record MessageSummary(uint Id, string? MessageId, string From, string Subject, DateTimeOffset Date, bool Seen, bool Flagged, string Snippet);

/// <summary>A message as text; attachments are named, never opened.</summary>
public sealed record MessageContent(
    uint Id,
    string? MessageId,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    DateTimeOffset Date,
    string? InReplyTo,
    string Body,
    int BodyCharactersCut,
    IReadOnlyList<AttachmentInfo> Attachments);

public sealed record AttachmentInfo(string FileName, string ContentType, long Bytes);

/// <summary>
/// What the arrival trigger needs of a folder: its UIDVALIDITY (a change means every uid it remembered
/// is meaningless) and the new messages' uids, oldest first.
/// </summary>
public sealed record FolderArrivals(uint UidValidity, uint UidNext, IReadOnlyList<uint> Uids);
