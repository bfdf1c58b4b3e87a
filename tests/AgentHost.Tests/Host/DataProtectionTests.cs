using System.Net;
using System.Security.Claims;
using System.Text.Json;
using AgentHost.Auth;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;
using AgentHost.Tests.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AgentHost.Tests.Web.Forms;

namespace AgentHost.Tests.Host;

/// <summary>
/// A sign-in cookie is honoured only by the deployment and the mode that issued it: the key ring is the
/// deployment's (application name, keys beside its data), and an OpenIdConnect host refuses a Development
/// identity even inside a ticket sealed with its own keys.
/// </summary>
public sealed class DataProtectionTests : IDisposable
{
    private static readonly Dictionary<string, string?> OpenIdConnect = new()
    {
        ["Auth:Mode"] = "OpenIdConnect",
        ["Auth:OpenIdConnect:Authority"] = "https://login.example.test",
        ["Auth:OpenIdConnect:ClientId"] = "agenthost",
    };

    private readonly AgentHostFactory _development = new();

    [Fact]
    public async Task DevelopmentCookie_IsRefusedByAnOpenIdConnectHost_OnTheSameMachineAndData()
    {
        var cookie = await SignInWithThePickerAsync(_development, "root@example.com");
        using var oidc = new AgentHostFactory(OpenIdConnect, _development.DataDirectory);

        (await GetWithCookieAsync(_development, cookie)).ShouldBe(HttpStatusCode.OK, "the issuing host accepts its own cookie");
        (await GetWithCookieAsync(oidc, cookie)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DevelopmentIdentity_SealedWithTheOpenIdConnectHostsOwnKeys_IsRefusedAndAudited()
    {
        using var oidc = new AgentHostFactory(OpenIdConnect);
        var root = oidc.Services.GetRequiredService<EmployeeDirectory>().FindByEmail("root@example.com")!;
        var format = oidc.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).TicketDataFormat;
        var forged = format.Protect(new AuthenticationTicket(
            new ClaimsPrincipal(AgentHostClaims.ForEmployee(root, SignInIdentities.DevelopmentCookie)), CookieAuthenticationDefaults.AuthenticationScheme));

        (await GetWithCookieAsync(oidc, forged)).ShouldBe(HttpStatusCode.Unauthorized);

        await oidc.FlushRefusalsAsync();
        var denied = await oidc.Services.GetRequiredService<AuditReader>().SearchAsync(new AuditFilter(Type: AuditEventTypes.AuthDenied), null, 10, CancellationToken.None);
        denied.Events.ShouldContain(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("reason").GetString()!.Contains("'DevelopmentCookie' is not accepted in Auth:Mode=OpenIdConnect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cookie_SurvivesARestart_BecauseTheKeysLiveBesideTheData()
    {
        var cookie = await SignInWithThePickerAsync(_development, "alice@example.com");
        using var restarted = new AgentHostFactory(dataDirectory: _development.DataDirectory);

        (await GetWithCookieAsync(restarted, cookie)).ShouldBe(HttpStatusCode.OK);
        if (!TestPostgres.HostTestsOnPostgres)
        {
            Directory.GetFiles(Path.Combine(_development.DataDirectory, DataProtectionRegistration.KeysFolder), "key-*.xml").ShouldNotBeEmpty();
        }
    }

    [Fact]
    public async Task Cookie_OfAnotherDeploymentName_IsRefused_EvenWithTheSameKeys()
    {
        var cookie = await SignInWithThePickerAsync(_development, "alice@example.com");
        using var other = new AgentHostFactory(new Dictionary<string, string?> { ["Auth:DataProtection:ApplicationName"] = "AgentHost:staging" }, _development.DataDirectory);

        (await GetWithCookieAsync(other, cookie)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task EmployeeRemovedFromTheDirectory_LosesTheSessionAtTheNextRequest()
    {
        var cookie = await SignInWithThePickerAsync(_development, "alice@example.com");
        var directory = Path.Combine(_development.DataDirectory, "directory.yaml");
        var yaml = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml"));
        await File.WriteAllTextAsync(directory, yaml.Replace("alice@example.com", "alice.left@example.com", StringComparison.Ordinal));
        using var restarted = new AgentHostFactory(new Dictionary<string, string?> { ["Directory:Path"] = directory }, _development.DataDirectory);

        (await GetWithCookieAsync(restarted, cookie)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    public void Dispose() => _development.Dispose();

    private static async Task<string> SignInWithThePickerAsync(AgentHostFactory host, string email)
    {
        using var browser = new PageClient(host, email: null);
        var (_, page) = await browser.GetAsync("/signin");
        var (response, _) = await browser.SubmitAsync(page, "form", [F("email", email)]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("agenthost.auth=", StringComparison.Ordinal));
        return cookie["agenthost.auth=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static async Task<HttpStatusCode> GetWithCookieAsync(AgentHostFactory host, string cookie)
    {
        using var client = host.CreateClientAs(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/policy");
        request.Headers.Add("Cookie", $"agenthost.auth={cookie}");
        return (await client.SendAsync(request)).StatusCode;
    }
}
