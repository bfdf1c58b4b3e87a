namespace AgentHost.Plugins.Email;

/// <summary>One mail server: where it is, how the connection is secured, and the account.</summary>
public sealed class MailServerOptions
{
    public string? Host { get; set; }

    public int Port { get; set; }

    /// <summary>None, StartTls (refuse a server without it), StartTlsWhenAvailable, SslOnConnect or Auto.</summary>
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    public string? User { get; set; }

    public string? Password { get; set; }
}
