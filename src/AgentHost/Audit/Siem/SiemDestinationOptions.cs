namespace AgentHost.Audit.Siem;

/// <summary>One receiver of the SIEM stream (SiemStream:Destinations:{i}); checked by <see cref="SiemStreamOptionsValidator"/>.</summary>
public sealed class SiemDestinationOptions
{
    /// <summary>The destination's cursor key: renaming it starts the stream again from the first event.</summary>
    public string Name { get; set; } = string.Empty;

    public SiemDestinationKind Kind { get; set; }

    /// <summary>Syslog: the receiver's host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>Syslog: the receiver's TCP port; 0 means 6514 with TLS (RFC 5425) and 514 without.</summary>
    public int Port { get; set; }

    /// <summary>Syslog: TLS on the TCP connection (RFC 5425 transport with RFC 6587 octet counting).</summary>
    public bool Tls { get; set; }

    /// <summary>Syslog with TLS: the name the receiver's certificate must carry (default: Host).</summary>
    public string? TlsServerName { get; set; }

    /// <summary>Syslog with TLS: a PEM file of the CA that signs the receiver's certificate, instead of the system's trust store.</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>Syslog: the HOSTNAME of every message, naming this installation to the SIEM (default: the machine's name).</summary>
    public string? HostName { get; set; }

    /// <summary>Syslog: the facility of every message (default 13, "log audit", RFC 5424 table 1).</summary>
    public int Facility { get; set; } = 13;

    /// <summary>Webhook: where batches are POSTed; https, or http on loopback only.</summary>
    public Uri? Url { get; set; }

    /// <summary>Webhook: the HMAC-SHA256 key of the signature header (at least 32 characters); a secret, also settable as SiemStream__Destinations__{i}__Secret_FILE.</summary>
    public string? Secret { get; set; }

    /// <summary>Port with its default applied.</summary>
    public int EffectivePort => Port != 0 ? Port : Tls ? 6514 : 514;

    /// <summary>Where the stream goes, for the audit page and logs: host and port, or the URL without user info, query or fragment.</summary>
    public string Target => Kind == SiemDestinationKind.Webhook
        ? Url is { IsAbsoluteUri: true } url ? $"{url.Scheme}://{url.Authority}{url.AbsolutePath}" : "-"
        : $"{(Tls ? "tls" : "tcp")}://{Host}:{EffectivePort}";
}
