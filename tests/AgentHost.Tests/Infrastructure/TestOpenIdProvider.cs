namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// The OpenID provider test.sh starts (tests/oidc/start-oidc-provider.sh): its issuer, and the loopback
/// port its one client (agenthost) is registered for. A test needing it fails with how to start it.
/// </summary>
public static class TestOpenIdProvider
{
    public const string ClientId = "agenthost";
    public const string ClientSecret = "agenthost-oidc-test-secret";

    public static string Authority => Environment.GetEnvironmentVariable("AGENTHOST_TEST_OIDC_AUTHORITY")
        ?? throw new InvalidOperationException("AGENTHOST_TEST_OIDC_AUTHORITY is not set: start the test provider with `eval \"$(tests/oidc/start-oidc-provider.sh | sed 's/^/export /')\"` (test.sh does)");

    public static int ClientPort => int.Parse(
        Environment.GetEnvironmentVariable("AGENTHOST_TEST_OIDC_CLIENT_PORT") ?? throw new InvalidOperationException("AGENTHOST_TEST_OIDC_CLIENT_PORT is not set: see tests/oidc/start-oidc-provider.sh"),
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A host in Auth:Mode=OpenIdConnect signing in at the test provider; serve it on <paramref name="port"/>.</summary>
    public static AgentHostFactory Host(out int port, IDictionary<string, string?>? extra = null)
    {
        port = ClientPort;
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "OpenIdConnect",
            ["Auth:OpenIdConnect:Authority"] = Authority,
            ["Auth:OpenIdConnect:ClientId"] = ClientId,
            ["Auth:OpenIdConnect:ClientSecret"] = ClientSecret,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new AgentHostFactory(settings);
    }
}
