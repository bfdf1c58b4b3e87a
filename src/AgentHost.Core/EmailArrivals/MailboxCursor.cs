namespace AgentHost.Core.EmailArrivals;

/// <summary>How far an agent's arrival trigger got in a folder: every uid up to <see cref="LastUid"/> under this UIDVALIDITY is done.</summary>
public sealed record MailboxCursor(string AgentId, string Folder, uint UidValidity, uint LastUid);
