using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Deploy;

/// <summary>The GitHub emulator keeps GitHub's contract for what Octokit never shows: headers and error shapes.</summary>
public sealed class GitHubEmulatorContractTests : IAsyncLifetime
{
    private GitHubEmulator _github = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubEmulator.StartAsync();
        _github.AddRepository("acme/web");
        _http = new HttpClient { BaseAddress = _github.ApiBaseUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task WithoutAUserAgent_IsForbidden()
    {
        using var request = Request(userAgent: null, token: GitHubEmulator.Token);

        var response = await _http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Body(response)).GetProperty("message").GetString()!.ShouldContain("User-Agent");
    }

    [Theory]
    [InlineData(null, "Requires authentication")]
    [InlineData("ghp_nope", "Bad credentials")]
    public async Task WithoutAValidToken_IsUnauthorized_InGitHubsShape(string? token, string message)
    {
        using var request = Request(userAgent: "test", token: token);

        var response = await _http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var body = await Body(response);
        body.GetProperty("message").GetString().ShouldBe(message);
        body.GetProperty("documentation_url").GetString()!.ShouldStartWith("https://docs.github.com/");
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheRateLimit_AndAnEmptyBudgetIsRefused()
    {
        using var first = Request(userAgent: "test", token: GitHubEmulator.Token);
        var ok = await _http.SendAsync(first);
        _github.RateLimitRemaining = 0;
        using var second = Request(userAgent: "test", token: GitHubEmulator.Token);
        var limited = await _http.SendAsync(second);

        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        ok.Headers.GetValues("X-RateLimit-Limit").Single().ShouldBe("5000");
        ok.Headers.GetValues("X-RateLimit-Remaining").Single().ShouldBe("4999");
        ok.Headers.GetValues("X-RateLimit-Reset").Single().ShouldBe(_github.RateLimitReset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        limited.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        limited.Headers.GetValues("X-RateLimit-Remaining").Single().ShouldBe("0");
        (await Body(limited)).GetProperty("message").GetString()!.ShouldContain("rate limit exceeded");
    }

    [Fact]
    public async Task CreateDeployment_WithoutRef_OrWithoutWaivingChecks_IsRefused()
    {
        var noRef = await Post(new { environment = "staging" });
        var checks = await Post(new { @ref = "main", environment = "staging" });
        var waived = await Post(new { @ref = "main", environment = "staging", required_contexts = Array.Empty<string>() });

        noRef.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        checks.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Body(checks)).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("required_contexts");
        waived.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Body(waived)).GetProperty("environment").GetString().ShouldBe("staging");
    }

    private async Task<HttpResponseMessage> Post(object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "repos/acme/web/deployments") { Content = JsonContent.Create(body) };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("test", "1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GitHubEmulator.Token);
        return await _http.SendAsync(request);
    }

    private static HttpRequestMessage Request(string? userAgent, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "repos/acme/web/deployments");
        if (userAgent is not null)
        {
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue(userAgent, "1"));
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        }

        return request;
    }

    private static async Task<JsonElement> Body(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();
}
