namespace AgentHost.Hosting;

/// <summary>
/// The TLS-terminating reverse proxy in front of the web role (`Proxy:KnownProxies`, `Proxy:KnownNetworks`,
/// comma-separated addresses and CIDR ranges). Only requests from these are believed about the client's
/// address and scheme (X-Forwarded-For, X-Forwarded-Proto); with neither set, forwarded headers are ignored.
/// Believing the scheme is what makes cookies Secure and sign-in redirects https behind the proxy.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    public string? KnownProxies { get; set; }

    public string? KnownNetworks { get; set; }

    /// <summary>How many proxies deep the chain is; 1 for one proxy in front.</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Configured => !string.IsNullOrWhiteSpace(KnownProxies) || !string.IsNullOrWhiteSpace(KnownNetworks);

    public static IEnumerable<string> Items(string? list) =>
        (list ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
