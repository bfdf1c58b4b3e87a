namespace AgentHost.Plugins.Email;

/// <summary>How a mail connection is secured; a mirror of MailKit's options so configuration does not depend on it.</summary>
public enum MailSecurity
{
    StartTls,
    SslOnConnect,
    StartTlsWhenAvailable,
    Auto,
    None,
}
