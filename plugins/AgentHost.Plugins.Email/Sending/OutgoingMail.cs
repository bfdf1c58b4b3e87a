namespace AgentHost.Plugins.Email.Sending;

/// <summary>
/// A mail an agent sends. <see cref="MessageId"/> is derived from the run and call, so a mail that is
/// ever sent twice carries the same Message-ID and receivers can tell.
/// </summary>
public sealed record OutgoingMail(
    string MessageId,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string Body,
    string? InReplyTo,
    IReadOnlyList<string> References);
