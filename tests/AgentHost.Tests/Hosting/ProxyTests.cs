using AgentHost.Tests.Host;

namespace AgentHost.Tests.Hosting;

/// <summary>Behind a TLS-terminating proxy the host believes its X-Forwarded-Proto, and only its: cookies are Secure.</summary>
public sealed class ProxyTests
{
    [Fact]
    public async Task BehindAKnownProxy_ForwardedHttps_MakesCookiesSecure()
    {
        using var host = new AgentHostFactory(new Dictionary<string, string?> { ["Proxy:KnownProxies"] = "127.0.0.1" });

        var cookie = await AntiforgeryCookieAsync(host);

        cookie.ShouldContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task WithoutAConfiguredProxy_AForgedForwardedProto_IsIgnored()
    {
        using var host = new AgentHostFactory();

        var cookie = await AntiforgeryCookieAsync(host);

        cookie.ShouldNotContain("secure", Case.Insensitive);
    }

    private static async Task<string> AntiforgeryCookieAsync(AgentHostFactory host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await host.CreateClientAs(null).SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("agenthost.antiforgery", StringComparison.Ordinal));
    }
}
