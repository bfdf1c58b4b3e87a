namespace AgentHost.Plugins.Email.Mailbox;

/// <summary>A folder or message the caller named does not exist; the message says which.</summary>
public sealed class MailboxItemNotFoundException(string message) : Exception(message);
