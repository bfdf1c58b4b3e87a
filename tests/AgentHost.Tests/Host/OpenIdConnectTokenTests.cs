using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using AgentHost.Auth;
using AgentHost.Core.Audit;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Web;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace AgentHost.Tests.Host;

/// <summary>
/// The ID token the host receives at the code exchange is checked like the handler must: issued by the
/// configured provider, for this client, signed with a key the provider publishes. A forged one opens no
/// session, lands on the sign-in page and is counted as a refused sign-in. The first test is the control:
/// the same exchange with an honest token signs in.
/// </summary>
public sealed class OpenIdConnectTokenTests : IAsyncLifetime
{
    private IdTokenIssuer _provider = null!;
    private AgentHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _provider = await IdTokenIssuer.StartAsync();
        _host = new AgentHostFactory(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "OpenIdConnect",
            ["Auth:OpenIdConnect:Authority"] = _provider.Issuer,
            ["Auth:OpenIdConnect:ClientId"] = "agenthost",
            ["Auth:OpenIdConnect:ClientSecret"] = "emulated-secret",
        });
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task HonestToken_SignsIn()
    {
        var (response, cookie) = await CodeExchangeAsync();

        response.Headers.Location!.OriginalString.ShouldBe("/agents");
        cookie.ShouldNotBeNull();
    }

    [Fact]
    public async Task DevelopmentUserPicker_InOpenIdConnectMode_HandsOverToTheProvider_AndOpensNoSession()
    {
        using var browser = new PageClient(_host, email: null);
        var (_, page) = await browser.GetAsync("/signin");
        page.QuerySelector("select[name=email]").ShouldBeNull("no user picker outside Development");

        var (response, _) = await browser.SubmitAsync(page, "form", [Forms.F("email", "root@example.com")]);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.GetLeftPart(UriPartial.Path).ShouldBe(_provider.Issuer + "/authorize");
        response.Headers.GetValues("Set-Cookie").ShouldNotContain(c => c.StartsWith("agenthost.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenFromAnotherIssuer_IsRefused() => await ShouldBeRefusedAsync(("https://login.evil.test", "agenthost", null));

    [Fact]
    public async Task TokenForAnotherClient_IsRefused() => await ShouldBeRefusedAsync((null, "another-client", null));

    [Fact]
    public async Task TokenSignedWithAnUnpublishedKey_IsRefused() =>
        await ShouldBeRefusedAsync((null, "agenthost", new RsaSecurityKey(RSA.Create(2048)) { KeyId = "published" }));

    private async Task ShouldBeRefusedAsync((string? Issuer, string Audience, RsaSecurityKey? Key) token)
    {
        _provider.Next = token;

        var (response, cookie) = await CodeExchangeAsync();

        response.Headers.Location!.OriginalString.ShouldBe(OpenIdConnectSignIn.RefusedPath);
        cookie.ShouldBeNull("no session is opened");
        await _host.FlushRefusalsAsync();
        var denied = await _host.Services.GetRequiredService<AuditReader>().SearchAsync(new AuditFilter(Type: AuditEventTypes.AuthDenied), null, 10, CancellationToken.None);
        denied.Events.Select(e => JsonDocument.Parse(e.Data).RootElement).ShouldContain(d =>
            d.GetProperty("kinds").EnumerateObject().Any(k => k.Name == RefusedRequests.Kinds.SignIn)
            && d.GetProperty("reasons").EnumerateObject().Any(r => r.Name.StartsWith("the provider's answer was refused", StringComparison.Ordinal)));
    }

    /// <summary>Starts a sign-in as a browser would, then comes back from the provider with a code.</summary>
    private async Task<(HttpResponseMessage Response, string? AuthCookie)> CodeExchangeAsync()
    {
        using var browser = new PageClient(_host, email: null);
        var (_, page) = await browser.GetAsync("/signin");
        var (challenge, _) = await browser.SubmitAsync(page, "form", []);
        challenge.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var authorize = challenge.Headers.Location!;
        authorize.GetLeftPart(UriPartial.Path).ShouldBe(_provider.Issuer + "/authorize");
        var query = QueryHelpers.ParseQuery(authorize.Query);
        _provider.Nonce = query["nonce"];

        var callback = await browser.RawGetAsync($"/signin-oidc?code=emulated-code&state={Uri.EscapeDataString(query["state"]!)}");
        callback.StatusCode.ShouldBe(HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync());
        var cookie = callback.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith("agenthost.auth=", StringComparison.Ordinal) && !c.StartsWith("agenthost.auth=;", StringComparison.Ordinal))
            : null;
        return (callback, cookie);
    }
}
