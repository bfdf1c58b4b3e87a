using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Auth;

namespace AgentHost.Tests.Host;

public sealed class AuthTests : IDisposable
{
    private readonly AgentHostFactory _host = new();

    [Fact]
    public async Task Healthz_IsAnonymous_EverythingElseNeedsAUser()
    {
        var anonymous = _host.CreateClientAs(null);

        (await anonymous.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await anonymous.GetAsync("/api/policy");
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await _host.CreateClientAs("alice@example.com").GetAsync("/api/policy")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DevUser_FromANonLoopbackAddress_IsRefusedAndAudited()
    {
        _host.RemoteAddress = IPAddress.Parse("203.0.113.7");

        var response = await _host.CreateClientAs("root@example.com").GetAsync("/api/policy");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _host.RemoteAddress = IPAddress.Loopback;
        await _host.FlushRefusalsAsync();
        var denied = await AuditEventsAsync("auth.denied");
        denied.ShouldContain(e => e.GetProperty("data").GetProperty("reason").GetString()!.Contains("loopback only", StringComparison.Ordinal)
            && e.GetProperty("data").GetProperty("remoteAddress").GetString() == "203.0.113.7");
    }

    [Fact]
    public async Task DevUser_Unknown_IsRefusedAndAudited()
    {
        (await _host.CreateClientAs("mallory@example.com").GetAsync("/api/policy")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await _host.FlushRefusalsAsync();

        (await AuditEventsAsync("auth.denied")).ShouldContain(e => e.GetProperty("data").GetProperty("claimedUser").GetString() == "mallory@example.com");
    }

    [Fact]
    public async Task Forbidden_IsAudited_WithTheUser()
    {
        (await _host.CreateClientAs("alice@example.com").GetAsync("/api/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await _host.FlushRefusalsAsync();

        (await AuditEventsAsync("auth.denied")).ShouldContain(e => e.GetProperty("actor").GetString() == "employee:alice@example.com"
            && e.GetProperty("data").GetProperty("path").GetString() == "/api/audit");
    }

    [Fact]
    public async Task DevUser_InOpenIdConnectMode_IsRefused()
    {
        using var oidc = new AgentHostFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "OpenIdConnect",
            ["Auth:OpenIdConnect:Authority"] = "https://login.example.test",
            ["Auth:OpenIdConnect:ClientId"] = "agenthost",
        });

        var response = await oidc.CreateClientAs("root@example.com").GetAsync("/api/policy");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void OpenIdConnectMode_WithoutAuthority_RefusesToStart()
    {
        using var broken = new AgentHostFactory(new Dictionary<string, string?> { ["Auth:Mode"] = "OpenIdConnect" });

        var error = Should.Throw<Exception>(() => broken.CreateClient());

        error.ToString().ShouldContain("Auth:OpenIdConnect:Authority");
    }

    [Theory]
    [InlineData("http://login.example.test")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://127.0.0.1.evil.test")]
    [InlineData("ftp://127.0.0.1")]
    public void OpenIdConnectMode_WithPlainHttpBeyondLoopback_RefusesToStart(string authority)
    {
        using var broken = new AgentHostFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "OpenIdConnect",
            ["Auth:OpenIdConnect:Authority"] = authority,
            ["Auth:OpenIdConnect:ClientId"] = "agenthost",
        });

        Should.Throw<Exception>(() => broken.CreateClient()).ToString().ShouldContain("Auth:OpenIdConnect:Authority must be an https URL");
    }

    [Theory]
    [InlineData("http://127.0.0.1:15510")]
    [InlineData("http://localhost:15510")]
    [InlineData("http://[::1]:15510")]
    public void AuthorityOnLoopback_MayBePlainHttp(string authority) =>
        AuthOptions.IsLoopback(new Uri(authority)).ShouldBeTrue();

    public void Dispose() => _host.Dispose();

    private async Task<List<JsonElement>> AuditEventsAsync(string type)
    {
        var page = await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type={type}");
        return page.GetProperty("events").EnumerateArray().ToList();
    }
}
