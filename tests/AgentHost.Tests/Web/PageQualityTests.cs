using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AgentHost.Tests.Web;

/// <summary>
/// Every page of the app in a real browser (Debian's chromium) at a phone's width (390 px) and a laptop's
/// (1280 px): no page is wider than the window (tables scroll inside their own box), and axe finds no
/// accessibility violation. Also signing out, and the security reviewer's journey: the newest events
/// first, the actor found by e-mail, verify's coverage, and every agent on /agents.
/// </summary>
public sealed class PageQualityTests : RunHostTest
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly int[] Widths = [390, 1280];

    private string _site = string.Empty;

    [Fact]
    public async Task EveryPage_FitsThePhoneAndTheLaptop_AndAxeFindsNoViolation()
    {
        var (agentId, runId) = await StartWithAFinishedRunAsync();
        await ChangeAgentAsync(agentId);
        string[] alicePages = ["/", "/agents", $"/agents/{agentId}", "/agents/new", $"/agents/{agentId}/history", "/runs", $"/runs/{runId}", "/approvals", "/usage", "/policies", "/no-such-page", "/audit", "/error/400"];
        string[] samPages = ["/agents", "/approvals", "/audit", "/audit/events/1", "/audit/verify", "/usage"];

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var problems = new List<string>();
        foreach (var width in Widths)
        {
            var anonymous = await NewPageAsync(browser, width);
            await CheckAsync(anonymous, "/signin", width, problems);
            var alice = await SignInAsync(browser, "alice@example.com", width);
            foreach (var path in alicePages)
            {
                await CheckAsync(alice, path, width, problems);
            }

            var sam = await SignInAsync(browser, "sam@example.com", width);
            foreach (var path in samPages)
            {
                await CheckAsync(sam, path, width, problems);
            }
        }

        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndTheNextPageAsksToSignIn()
    {
        await StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var alice = await SignInAsync(browser, "alice@example.com", 1280);
        await alice.GotoAsync($"{_site}/runs");

        var signedOut = await alice.RunAndWaitForResponseAsync(
            () => alice.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync(),
            response => response.Url.EndsWith("/signout", StringComparison.Ordinal));
        await Assertions.Expect(alice.Locator("#signed-out")).ToBeVisibleAsync();
        await alice.GotoAsync($"{_site}/agents");

        signedOut.Status.ShouldBe(302);
        new Uri(alice.Url).AbsolutePath.ShouldBe("/signin");
        await Assertions.Expect(alice.Locator("#signed-in-user")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ASecondSignIn_MakesTheOldTabsSignOutFormStale_ItGetsAPageWithAFreshForm_NotJson()
    {
        await StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var first = await SignInInAsync(context, "alice@example.com");
        await first.GotoAsync($"{_site}/runs");
        _ = await SignInInAsync(context, "bob@example.com"); // another tab of the same browser, another user

        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(first.Locator("#error-detail")).ToContainTextAsync("sign-out form was older than your session");
        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(first.Locator("#signed-out")).ToBeVisibleAsync();
        await first.GotoAsync($"{_site}/agents");

        new Uri(first.Url).AbsolutePath.ShouldBe("/signin");
    }

    [Fact]
    public async Task SecurityJourney_NewestEventsFirst_ActorByEmail_VerifyCoverage_EveryAgent()
    {
        var (agentId, runId) = await StartWithAFinishedRunAsync();
        var bobsAgent = await CreateAgentAsync("bob@example.com");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var sam = await SignInAsync(browser, "sam@example.com", 1280);

        await sam.GotoAsync($"{_site}/audit");
        var sequences = await sam.Locator("#events tbody tr").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.seq))");
        await sam.GetByLabel("Actor").FillAsync("USER:Alice@Example.com");
        await sam.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var actors = await sam.Locator("#events tbody td.actor").AllTextContentsAsync();
        await sam.GotoAsync($"{_site}/audit?runId={runId}");
        var agentCell = await sam.Locator("#events tbody td.agent").First.TextContentAsync();
        await sam.GotoAsync($"{_site}/audit/verify");
        var coverage = await sam.Locator("#verify-coverage").TextContentAsync();
        await sam.GotoAsync($"{_site}/agents");
        var agents = await sam.Locator("#agents tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.agent)");

        sequences.ShouldNotBeEmpty();
        sequences.ShouldBe(sequences.OrderByDescending(s => s).ToArray(), "the newest event first");
        actors.ShouldNotBeEmpty();
        actors.ShouldAllBe(a => a.Contains("alice@example.com", StringComparison.Ordinal) && a.Contains("Alice Adams", StringComparison.Ordinal));
        agentCell.ShouldNotBeNull().ShouldContain("Ops helper");
        coverage.ShouldNotBeNull().ShouldMatch(@"(?i)^events? 1.*(signed checkpoint|hash-checked)");
        coverage.ShouldNotContain("every checkpoint matches");
        agents.ShouldBe([agentId, bobsAgent], ignoreOrder: true);
    }

    private async Task StartAsync()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: run `bash tests/web/install-browser.sh`");
        var port = FreePort();
        Host.UseKestrel(port);
        Host.StartServer();
        _site = $"http://127.0.0.1:{port}";
    }

    /// <summary>Alice's agent read a channel and answered: a finished run with a call, a policy decision and tokens.</summary>
    private async Task<(string AgentId, string RunId)> StartWithAFinishedRunAsync()
    {
        await StartAsync();
        var agentId = await CreateAgentAsync("alice@example.com");
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_read")], Prompt: 200, Completion: 15),
            new ModelReply.Text("The deploy is green.", Prompt: 300, Completion: 10));
        using var alice = Api("alice@example.com");
        var started = await alice.PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = "How is the deploy?" });
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await Eventually.ReturnsAsync(
            () => alice.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}"),
            run => run.GetProperty("status").GetString() == "succeeded",
            $"run {runId} succeeds");
        using var sam = Api("sam@example.com");
        await Eventually.ReturnsAsync(
            () => sam.GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}"),
            page => page.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("type").GetString() == "run.succeeded"),
            $"run {runId}'s end is in the audit trail");

        // A second run parks on an e-mail to the partner: the approvals pages have a pending request to show.
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}", "call_mail")]));
        var parked = await alice.PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = "Mail the partner our status" });
        var parkedId = (await parked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        await Eventually.ReturnsAsync(
            () => alice.GetFromJsonAsync<JsonElement>($"/api/runs/{parkedId}"),
            run => run.GetProperty("status").GetString() == "awaiting_approval",
            $"run {parkedId} waits for approval");
        return (agentId, runId);
    }

    private async Task<string> CreateAgentAsync(string owner)
    {
        using var client = Api(owner);
        var response = await client.PostAsJsonAsync("/api/agents", new
        {
            name = "Ops helper",
            instructions = "Answer questions about #ops.",
            tools = new[] { "slack.read_channel", "email.send" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"], ["email.recipientDomains"] = ["partner.test"] },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>A second version whose diff holds every kind of change, with a long unbroken line: the History page must still fit a phone.</summary>
    private async Task ChangeAgentAsync(string agentId)
    {
        using var client = Api("alice@example.com");
        var response = await client.PutAsJsonAsync($"/api/agents/{agentId}", new
        {
            name = "Ops helper v2",
            instructions = "Answer questions about #ops and #dev.\n" + new string('x', 300),
            tools = new[] { "slack.read_channel" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS", "C0DEV"] },
            budgets = new { maxTurns = 7 },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The API over the socket the browser uses (the factory's own client talks to no server once Kestrel serves).</summary>
    private HttpClient Api(string email)
    {
        var client = new HttpClient { BaseAddress = new Uri(_site) };
        client.DefaultRequestHeaders.Add("X-Dev-User", email);
        return client;
    }

    private async Task CheckAsync(IPage page, string path, int width, List<string> problems)
    {
        await page.GotoAsync(_site + path);
        var size = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scroll, inner) = (size[0], size[1]);
        if (scroll > inner)
        {
            var widest = await page.EvaluateAsync<string>(
                "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth).slice(-3).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className).join(', ')");
            problems.Add($"{path} at {width} px is {scroll} px wide ({widest})");
        }

        var axe = await page.RunAxe();
        foreach (var violation in axe.Violations)
        {
            var targets = string.Join("; ", violation.Nodes.Take(3).Select(n => n.Target?.ToString()));
            problems.Add($"{path} at {width} px: axe {violation.Id} ({violation.Impact}): {violation.Help} [{targets}]");
        }
    }

    private async Task<IPage> SignInAsync(IBrowser browser, string email, int width)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        return await SignInInAsync(context, email);
    }

    private async Task<IPage> SignInInAsync(IBrowserContext context, string email)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_site}/signin");
        await page.GetByLabel("User").SelectOptionAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync(email);
        return page;
    }

    private static async Task<IPage> NewPageAsync(IBrowser browser, int width)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        return await context.NewPageAsync();
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
