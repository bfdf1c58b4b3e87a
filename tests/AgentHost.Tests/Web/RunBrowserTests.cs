using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using Microsoft.Playwright;

namespace AgentHost.Tests.Web;

/// <summary>
/// The run page in a real browser (Debian's chromium, Playwright): it updates in place while the run
/// moves, without reloading, keeping what the user opened; a rejected production deploy is shown as not
/// done above the model's claim that it deployed; the owner stops a run from its page.
/// </summary>
public sealed class RunBrowserTests : RunHostTest
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Production = """{"repo":"acme/web","ref":"main","environment":"production","description":"main to production"}""";

    [Fact]
    public async Task DeployRejectedByAnApprover_TheOpenPageShowsItWithoutReloading_AboveTheModelsWords_AndKeepsOpenSections()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: run `bash tests/web/install-browser.sh`");
        var site = StartServer();
        var agentId = await CreateDeployAgentAsync(site);
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("deploy-create_deployment", Production, "call_prod")]),
            new ModelReply.Text("Deployed main to production."));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var alice = await SignInAsync(browser, site, "alice@example.com");

        await alice.GotoAsync($"{site}/agents/{agentId}");
        await alice.GetByLabel("What should the agent do?").FillAsync("Ship main to production");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Assertions.Expect(alice.Locator("#run-status")).ToHaveTextAsync("awaiting_approval", new() { Timeout = 30_000 });
        await Assertions.Expect(alice.Locator("section[data-waiting] .deciders")).ToContainTextAsync("deploy-approvers");
        var runId = alice.Url.Split('/')[^1];

        // Marks that a reload would wipe; an open section; where it sits in the window once scrolled.
        await alice.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");
        var opened = alice.Locator("#timeline details").First;
        var key = await opened.GetAttributeAsync("data-key");
        await opened.Locator("summary").ClickAsync();
        await Assertions.Expect(alice.Locator($"details[data-key='{key}']")).ToHaveAttributeAsync("open", "");
        await opened.ScrollIntoViewIfNeededAsync();
        var topBefore = await alice.Locator($"details[data-key='{key}']").EvaluateAsync<double>("d => d.getBoundingClientRect().top");

        var rejected = await Api(site, "carol@example.com").PostAsJsonAsync($"/api/approvals/{await PendingApprovalAsync(site, runId)}/decision", new { decision = "reject", comment = "release freeze" });
        rejected.StatusCode.ShouldBe(HttpStatusCode.OK);

        await Assertions.Expect(alice.Locator("#run-status")).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(alice.Locator("#run-live")).ToHaveAttributeAsync("data-ended", "true", new() { Timeout = 30_000 });
        await Assertions.Expect(alice.Locator("#not-executed")).ToContainTextAsync("deploy.create_deployment — not executed: rejected");
        await Assertions.Expect(alice.Locator("#not-executed")).ToContainTextAsync("release freeze");
        await Assertions.Expect(alice.Locator("#run-output")).ToHaveTextAsync("Deployed main to production.");
        var notDoneFirst = await alice.EvaluateAsync<bool>("() => !!(document.getElementById('not-executed').compareDocumentPosition(document.getElementById('run-output')) & Node.DOCUMENT_POSITION_FOLLOWING)");
        var sameDocument = await alice.EvaluateAsync<string?>("() => window.__sameDocument ?? null");
        var stillOpen = await alice.Locator($"details[data-key='{key}']").EvaluateAsync<bool>("d => d.open");
        var topAfter = await alice.Locator($"details[data-key='{key}']").EvaluateAsync<double>("d => d.getBoundingClientRect().top");
        var refreshes = await alice.Locator("meta[http-equiv=refresh]").CountAsync();
        await Assertions.Expect(alice.GetByRole(AriaRole.Button, new() { Name = "Stop this run" })).ToHaveCountAsync(0);
        await alice.ScreenshotAsync(new() { Path = Path.Combine(RepositoryRoot.Path, "test-results", "web", "run-rejected-deploy.png"), FullPage = true });

        // On a phone the page is no wider than the screen: tables scroll in their box, long text wraps.
        await alice.SetViewportSizeAsync(390, 800);
        var overflow = await alice.EvaluateAsync<double>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");

        overflow.ShouldBeLessThanOrEqualTo(0, "the run page is wider than a 390 px screen");
        notDoneFirst.ShouldBeTrue("the actions that did not happen are shown above the model's words");
        sameDocument.ShouldBe("yes", "the page updated in place; a reload would have lost the mark");
        stillOpen.ShouldBeTrue("the section the user opened stays open while the page updates");
        topAfter.ShouldBe(topBefore, 1, "what the user looked at stays where it was (no jump to the top)");
        refreshes.ShouldBe(0);
    }

    [Fact]
    public async Task OwnerStopsAWaitingRunFromItsPage()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: run `bash tests/web/install-browser.sh`");
        var site = StartServer();
        var runId = await ParkAsync(site);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var alice = await SignInAsync(browser, site, "alice@example.com");

        await alice.GotoAsync($"{site}/runs/{runId}");
        await alice.GetByLabel("Reason for stopping (optional, recorded in the audit trail)").FillAsync("wrong partner");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Stop this run" }).ClickAsync();

        await Assertions.Expect(alice.Locator("#run-status")).ToHaveTextAsync("stopped");
        await Assertions.Expect(alice.Locator("#calls tbody tr").First).ToHaveAttributeAsync("data-outcome", "cancelled");
        await Assertions.Expect(alice.Locator("#not-executed")).ToContainTextAsync("not executed: cancelled");
        await Assertions.Expect(alice.GetByRole(AriaRole.Button, new() { Name = "Stop this run" })).ToHaveCountAsync(0);
        var run = await Api(site, "alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        run.GetProperty("stopReason").GetString().ShouldBe("stopped by alice@example.com: wrong partner");
    }

    private string StartServer()
    {
        var port = FreePort();
        Host.UseKestrel(port);
        Host.StartServer();
        return $"http://127.0.0.1:{port}";
    }

    /// <summary>The API over the real socket: the factory's own clients talk to its in-memory server, which Kestrel replaced.</summary>
    private static HttpClient Api(string site, string email)
    {
        var client = new HttpClient { BaseAddress = new Uri(site) };
        client.DefaultRequestHeaders.Add("X-Dev-User", email);
        client.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>A run of a fresh agent of alice's, parked on an e-mail to the partner domain.</summary>
    private async Task<string> ParkAsync(string site)
    {
        var alice = Api(site, "alice@example.com");
        var created = await alice.PostAsJsonAsync("/api/agents", new
        {
            name = "Ops helper",
            instructions = "Answer questions about #ops.",
            tools = new[] { "email.send" },
            scopes = new Dictionary<string, string[]> { ["email.recipientDomains"] = ["partner.test"] },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var agentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", RunsApi.ExternalMail, "call_mail")]));
        var started = await alice.PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = "Mail the partner our status" });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await Eventually.ReturnsAsync(
            () => alice.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}"),
            r => r.GetProperty("status").GetString() == "awaiting_approval",
            $"run {runId} parks");
        return runId;
    }

    private static async Task<string> PendingApprovalAsync(string site, string runId)
    {
        var approvals = await Api(site, "sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        return approvals.EnumerateArray().Single(a => a.GetProperty("runId").GetString() == runId).GetProperty("id").GetString()!;
    }

    private static async Task<string> CreateDeployAgentAsync(string site)
    {
        var response = await Api(site, "alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Release helper",
            instructions = "Ship what you are asked to ship.",
            tools = new[] { "deploy.create_deployment" },
            scopes = new Dictionary<string, string[]> { ["github.repos"] = ["acme/web"], ["github.environments"] = ["staging", "production"] },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<IPage> SignInAsync(IBrowser browser, string site, string email)
    {
        // A short window, so the page scrolls and a jump would show.
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 500 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{site}/agents");
        await page.GetByLabel("User").SelectOptionAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync(email);
        return page;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
