using System.Text.Json;
using AgentHost.Auth;
using AgentHost.Core.Audit;
using AgentHost.Tests.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AgentHost.Tests.Web;

/// <summary>
/// Sign-in in Auth:Mode=OpenIdConnect against a real, certified OpenID provider (npm oidc-provider,
/// tests/oidc, started by test.sh on loopback) in Debian's chromium: the provider's login page, the
/// employee mapped from its claims, sign-out at both ends, and the accounts the directory does not know.
/// </summary>
public sealed class OpenIdConnectJourneyTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private AgentHostFactory _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _site = null!;

    public async Task InitializeAsync()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: run `bash tests/web/install-browser.sh`");
        _host = TestOpenIdProvider.Host(out var port);
        _host.UseKestrel(port);
        _host.StartServer();
        _site = $"http://127.0.0.1:{port}";
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task SignIn_AtTheProvider_LandsAsTheMappedEmployee_AndSignOutEndsBothSessions()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{_site}/agents");
        await LogInAtProviderAsync(page, "alice");

        // The provider says Alice@Example.COM; the directory's spelling is the identity.
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync("alice@example.com");
        new Uri(page.Url).AbsolutePath.ShouldBe("/agents");

        await page.Locator("#sign-out button").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-out")).ToBeVisibleAsync();

        // The next page asks to sign in, and the provider asks for the password again (its session ended too).
        await page.GotoAsync($"{_site}/agents");
        new Uri(page.Url).AbsolutePath.ShouldBe("/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to sign-in" }).ClickAsync();
        await Assertions.Expect(page.Locator("input[name=login]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task PreferredUsername_WithoutEmail_MapsToTheEmployee()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{_site}/agents");
        await LogInAtProviderAsync(page, "dave");

        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync("dave@example.com");
    }

    [Theory]
    [InlineData("mallory", "mallory@example.com", "not an employee in the directory")]
    [InlineData("eve", "root@example.com", "the provider has not verified this e-mail address")]
    public async Task AnAccountTheDirectoryDoesNotVouchFor_IsRefusedWithAPage_AndAudited(string login, string claimed, string reason)
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{_site}/agents");
        await LogInAtProviderAsync(page, login);

        await Assertions.Expect(page.Locator("#sign-in-refused")).ToContainTextAsync("not an employee");
        await page.GotoAsync($"{_site}/agents");
        new Uri(page.Url).AbsolutePath.ShouldBe("/signin", "no session was opened");
        await _host.FlushRefusalsAsync();
        var denied = await _host.Services.GetRequiredService<AuditReader>().SearchAsync(new AuditFilter(Type: AuditEventTypes.AuthDenied), null, 100, CancellationToken.None);
        // The refusal of the page asked for before sign-in can be flushed as an event of its own, with no claimed user.
        var claims = denied.Events.Select(e => JsonDocument.Parse(e.Data).RootElement).Where(data => data.TryGetProperty("claimedUser", out _)).ToList();
        claims.ShouldContain(data =>
            data.GetProperty("claimedUser").GetString() == claimed
            && data.GetProperty("reasons").EnumerateObject().Any(r => r.Name == reason)
            && data.GetProperty("kinds").GetProperty(RefusedRequests.Kinds.SignIn).GetInt32() == 1);
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });

        // The test talks to loopback only: anything else a page asks for (a web font) is dropped unsent.
        await context.RouteAsync("**/*", route =>
            new Uri(route.Request.Url).IsLoopback ? route.ContinueAsync() : route.AbortAsync());
        return await context.NewPageAsync();
    }

    private static async Task LogInAtProviderAsync(IPage page, string login)
    {
        new Uri(page.Url).AbsolutePath.ShouldBe("/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to sign-in" }).ClickAsync();
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }
}
