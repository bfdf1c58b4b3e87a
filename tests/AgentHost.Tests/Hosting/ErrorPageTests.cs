using System.Net;
using AngleSharp;
using AngleSharp.Dom;

namespace AgentHost.Tests.Hosting;

/// <summary>
/// A browser (Accept: text/html) meets an HTML page with the navigation for 400, 403 and 404; the API
/// keeps RFC 9457 problem details for the same statuses.
/// </summary>
public sealed class ErrorPageTests : IDisposable
{
    private readonly AgentHostFactory _host = new();

    [Theory]
    [InlineData("alice@example.com", "/no-such-page", HttpStatusCode.NotFound, "There is nothing here")]
    [InlineData("alice@example.com", "/audit", HttpStatusCode.Forbidden, "You may not open this page")]
    [InlineData("alice@example.com", "/runs/run_nosuch", HttpStatusCode.NotFound, "There is nothing here")]
    [InlineData("sam@example.com", "/audit/events/999999", HttpStatusCode.NotFound, "There is nothing here")]
    public async Task ABrowser_GetsAPageWithTheNavigation(string email, string path, HttpStatusCode status, string heading)
    {
        using var browser = Browser(email);

        var response = await browser.GetAsync(path);
        var page = await ParseAsync(response);

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.QuerySelector("main h1")!.TextContent.ShouldBe(heading);
        page.QuerySelector("nav[aria-label=Main]").ShouldNotBeNull("the navigation is there to go on from");
        page.QuerySelector("#signed-in-user")!.TextContent.ShouldBe(email);
    }

    [Fact]
    public async Task AFormPostWithoutItsToken_IsA400Page_ForABrowser()
    {
        using var browser = Browser("alice@example.com");

        var response = await browser.PostAsync("/signout", new FormUrlEncodedContent([]));
        var page = await ParseAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.QuerySelector("#error-detail")!.TextContent.ShouldContain("sign-out form was older than your session");
        page.QuerySelector("form#sign-out input[name=__RequestVerificationToken]").ShouldNotBeNull("a fresh sign-out form");
    }

    [Theory]
    [InlineData("/api/agents/nosuch", HttpStatusCode.NotFound)]
    [InlineData("/api/audit", HttpStatusCode.Forbidden)]
    [InlineData("/api/audit?limit=abc", HttpStatusCode.Forbidden)]
    [InlineData("/api/no-such-endpoint", HttpStatusCode.NotFound)]
    public async Task TheApi_KeepsProblemDetails_EvenForABrowser(string path, HttpStatusCode status)
    {
        using var browser = Browser("alice@example.com");

        var response = await browser.GetAsync(path);

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task AnApiClient_OnAPagePath_GetsProblemDetails()
    {
        using var client = _host.CreateClientAs("alice@example.com");

        var response = await client.GetAsync("/no-such-page");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    public void Dispose() => _host.Dispose();

    private HttpClient Browser(string email)
    {
        var client = _host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Dev-User", email);
        // What chromium sends for a navigation.
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
        return client;
    }

    private static async Task<IDocument> ParseAsync(HttpResponseMessage response) =>
        await BrowsingContext.New(Configuration.Default).OpenAsync(request => request.Content(response.Content.ReadAsStream()));
}
