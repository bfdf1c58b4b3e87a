namespace AgentHost.Plugins.Email;

/// <summary>
/// The mail server could not be used at all (unreachable, login refused, connection lost). The message
/// is safe to show to the model and in the audit trail: it names the server, never the password.
/// </summary>
public sealed class MailServiceException(string message, Exception? inner = null) : Exception(message, inner);
