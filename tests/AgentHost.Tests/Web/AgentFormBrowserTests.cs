using System.Net;
using System.Net.Sockets;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Runs;
using Microsoft.Playwright;

namespace AgentHost.Tests.Web;

/// <summary>
/// The employee's agent form in a real browser (Debian's chromium, Playwright), with Slack, GitHub and the
/// model on emulators: an error beside its field, the policy panel per scope value, "try a call", a test
/// run that shows "would need approval by deploy-approvers" while nothing reaches Slack or GitHub, and "Saved.".
/// </summary>
public sealed class AgentFormBrowserTests : FormHostTest
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string Screenshots = Path.Combine(RepositoryRoot.Path, "test-results", "web");

    [Fact]
    public async Task Employee_CreatesWithAnError_PreviewsPerValue_TriesACall_TestRuns_AndSaves()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: apt-get install -y chromium");
        Directory.CreateDirectory(Screenshots);
        var port = FreePort();
        Host.UseKestrel(port);
        Host.StartServer();
        var site = $"http://127.0.0.1:{port}";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var alice = await SignInAsync(browser, site, "alice@example.com");

        // An error: said once, in words, beside its field; the channel typed by name is already resolved.
        await alice.GotoAsync($"{site}/agents/new");
        await alice.GetByLabel("Name (required)").FillAsync("Release helper");
        await alice.GetByRole(AriaRole.Checkbox, new() { Name = "deploy.create_deployment" }).CheckAsync();
        await alice.GetByRole(AriaRole.Checkbox, new() { Name = "slack.post_message" }).CheckAsync();
        await alice.GetByLabel("GitHub repositories you may use").SelectOptionAsync("acme/web");
        await alice.GetByLabel("Deployment environments").FillAsync("staging, production");
        await alice.GetByLabel("Slack channels, typed").FillAsync("#Releases");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Save agent" }).ClickAsync();
        await Assertions.Expect(alice.Locator("#instructions-error")).ToHaveTextAsync("Instructions is required");
        await Assertions.Expect(alice.Locator("#form-errors")).ToContainTextAsync("One field needs a change");
        await Assertions.Expect(alice.Locator("#scope-slack-channels-pick option:checked")).ToHaveTextAsync("#releases");
        (await alice.Locator("main").InnerTextAsync()).ShouldNotContain("$.");
        await ShotAsync(alice, "20-agent-form-error");

        // The policy panel: one row per value, with the decision a real call would meet.
        await Assertions.Expect(Row(alice, "deploy.create_deployment", "environment = staging, repo = acme/web")).ToContainTextAsync("allowed");
        await Assertions.Expect(Row(alice, "deploy.create_deployment", "environment = production, repo = acme/web")).ToContainTextAsync("needs approval by deploy-approvers");
        await Assertions.Expect(Row(alice, "slack.post_message", $"channel = {Releases}")).ToContainTextAsync("allowed");

        // Try a call: bad JSON is said beside the field; a good call is decided against the unsaved draft.
        await alice.GetByLabel("Tool", new() { Exact = true }).SelectOptionAsync("deploy.create_deployment");
        await alice.GetByLabel("Arguments (JSON object)").FillAsync("{\"environment\": ");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Try this call" }).ClickAsync();
        await Assertions.Expect(alice.Locator("#try-arguments-error")).ToContainTextAsync("not valid JSON");
        await alice.GetByLabel("Arguments (JSON object)").FillAsync("{\"repo\": \"acme/web\", \"ref\": \"main\", \"environment\": \"Production\"}");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Try this call" }).ClickAsync();
        await Assertions.Expect(alice.Locator("#try-result")).ToContainTextAsync("needs approval by deploy-approvers");
        await ShotAsync(alice, "21-agent-form-try");

        // Test run: saved, then run as a dry run; the production deploy is only recorded.
        Model.Enqueue(
            new ModelReply.ToolCalls([Deploy("production", "call_prod"), new ToolCall("slack-post_message", $"{{\"channel\":\"{Releases}\",\"text\":\"Shipped\"}}", "call_post")]),
            new ModelReply.Text("Main is on its way to production."));
        await alice.Locator("#instructions").FillAsync("Ship what you are asked to ship.");
        await alice.GetByLabel("What should the test run do?").FillAsync("Ship main to production");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Save and test run" }).ClickAsync();
        await Assertions.Expect(alice.Locator("#run-status")).ToHaveTextAsync("succeeded", new() { Timeout = 20_000 });
        await Assertions.Expect(alice.Locator("#timeline li[data-type='action.dry_run']").First).ToContainTextAsync("would need approval by deploy-approvers", new() { Timeout = 20_000 });
        await Assertions.Expect(alice.Locator("#timeline li[data-type='run.queued']")).ToContainTextAsync("Dry run");
        await ShotAsync(alice, "22-test-run");
        Web.Deployments.ShouldBeEmpty();
        GitHub.Calls.ShouldNotContain(c => c.Method != "GET");
        Slack.CallsOf("chat.postMessage").ShouldBeEmpty();

        // Saving says so on the agent's page.
        var agentId = (await alice.Locator("a[href^='/agents/']").First.GetAttributeAsync("href"))!.Split('/')[2];
        await alice.GotoAsync($"{site}/agents/{agentId}/edit");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Save agent" }).ClickAsync();
        await Assertions.Expect(alice.Locator("p.notice[role=status]")).ToHaveTextAsync("Saved.");
        await ShotAsync(alice, "23-agent-saved");
    }

    private static ILocator Row(IPage page, string tool, string arguments) =>
        page.Locator($"#policy-panel tr[data-tool='{tool}'][data-arguments='{arguments}']");

    private static async Task<IPage> SignInAsync(IBrowser browser, string site, string email)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{site}/agents");
        await page.GetByLabel("User").SelectOptionAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync(email);
        return page;
    }

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
