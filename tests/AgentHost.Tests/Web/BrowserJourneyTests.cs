using System.Net;
using System.Net.Sockets;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.Playwright;

namespace AgentHost.Tests.Web;

/// <summary>
/// The whole journey in a real browser (Debian's chromium driven by Playwright) against the host on
/// loopback Kestrel: create an agent after a validation error, run it, see it park, approve as another
/// user, see it finish, find every step in the audit page, verify, export. Screenshots of each page go
/// to test-results/web/.
/// </summary>
public sealed class BrowserJourneyTests : RunHostTest
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";

    private static readonly string Screenshots = Path.Combine(RepositoryRoot.Path, "test-results", "web");

    [Fact]
    public async Task Journey_CreateRunParkApproveFinishAuditVerifyExport()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: run `bash tests/web/install-browser.sh` (apt-get install -y chromium) and run the test again");
        Directory.CreateDirectory(Screenshots);
        var port = FreePort();
        Host.UseKestrel(port);
        Host.StartServer();
        var site = $"http://127.0.0.1:{port}";
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("email-send", ExternalMail, "call_mail")], Prompt: 200, Completion: 15),
            new ModelReply.Text("Sent the status mail.", Prompt: 300, Completion: 10));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var alice = await SignInAsync(browser, site, "alice@example.com");

        // Create, with a validation error first: the error sits next to its field, the input stays.
        await alice.GotoAsync($"{site}/agents/new");
        await alice.GetByLabel("Name (required)").FillAsync("Partner status");
        await alice.GetByRole(AriaRole.Checkbox, new() { Name = "email.send" }).CheckAsync();
        await alice.GetByLabel("Mail recipient domains").FillAsync("partner.test");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Save agent" }).ClickAsync();
        await Assertions.Expect(alice.Locator("#instructions-error")).ToContainTextAsync("is required");
        await Assertions.Expect(alice.GetByLabel("Name (required)")).ToHaveValueAsync("Partner status");
        await Assertions.Expect(alice.Locator("#policy-panel tr[data-tool='email.send']")).ToBeVisibleAsync();
        await ShotAsync(alice, "01-agent-form-error");
        await alice.Locator("#instructions").FillAsync("Mail partners our status when asked.");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Save agent" }).ClickAsync();
        await Assertions.Expect(alice.Locator("main h1")).ToHaveTextAsync("Partner status");
        await ShotAsync(alice, "02-agent");

        // Run it and see it park.
        await alice.GetByLabel("What should the agent do?").FillAsync("Mail the partner our status");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Assertions.Expect(alice.Locator("#run-status")).ToHaveTextAsync("awaiting_approval", new() { Timeout = 20_000 });
        var runUrl = alice.Url;
        var runId = runUrl.Split('/')[^1];
        await ShotAsync(alice, "03-run-parked");

        // Approve as another user.
        var bob = await SignInAsync(browser, site, "bob@example.com");
        await bob.GotoAsync($"{site}/approvals");
        await Assertions.Expect(bob.Locator("section[data-approval]")).ToContainTextAsync("ops@partner.test");
        await ShotAsync(bob, "04-approvals");
        await bob.Locator("section[data-approval] input[name=comment]").FillAsync("fine");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(bob.Locator("#decision-message")).ToContainTextAsync("Decision counted");

        // The run page refreshes itself until the run is done.
        await Assertions.Expect(alice.Locator("#run-status")).ToHaveTextAsync("succeeded", new() { Timeout = 20_000 });
        await Assertions.Expect(alice.Locator("#run-output")).ToHaveTextAsync("Sent the status mail.");
        await Assertions.Expect(alice.Locator("#timeline li[data-type='run.succeeded']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await ShotAsync(alice, "05-run-finished");
        var timeline = await alice.Locator("#timeline li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.type)");

        // Every step is in the audit page; verify; export the view.
        var sam = await SignInAsync(browser, site, "sam@example.com");
        await sam.GotoAsync($"{site}/audit");
        await sam.GetByLabel("Run id").FillAsync(runId);
        await sam.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var audited = await sam.Locator("#events tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.type)");
        await ShotAsync(sam, "06-audit");
        await sam.Locator("#events tbody a").First.ClickAsync();
        await Assertions.Expect(sam.Locator("#leaf-hash")).ToBeVisibleAsync();
        await ShotAsync(sam, "07-audit-event");
        await sam.GotoAsync($"{site}/audit?runId={runId}");
        var download = await sam.RunAndWaitForDownloadAsync(() => sam.Locator("#export-jsonl").ClickAsync());
        var exported = await File.ReadAllLinesAsync(await download.PathAsync());
        await sam.GetByRole(AriaRole.Button, new() { Name = "Verify the whole trail" }).ClickAsync();
        await Assertions.Expect(sam.Locator("#verify-result")).ToContainTextAsync("Valid.");
        await ShotAsync(sam, "08-audit-verified");
        await sam.GotoAsync($"{site}/usage");
        await ShotAsync(sam, "09-usage");
        await alice.GotoAsync($"{site}/usage");
        await ShotAsync(alice, "10-usage-owner");
        await sam.GotoAsync($"{site}/policies");
        await ShotAsync(sam, "11-policies");

        string[] steps = ["run.queued", "run.started", "model.called", "action.requested", "policy.decided", "approval.requested", "approval.decided", "action.executed", "model.called", "run.succeeded"];
        Enumerable.Reverse(audited).ToArray().ShouldBe(steps); // the audit page shows the newest event first
        timeline.ShouldBe(steps);
        exported.Count(line => line.Contains($"\"runId\":\"{runId}\"", StringComparison.Ordinal) || line.Contains($"\"run_id\":\"{runId}\"", StringComparison.Ordinal)).ShouldBe(steps.Length, string.Join('\n', exported));
        Directory.GetFiles(Screenshots, "*.png").Length.ShouldBeGreaterThanOrEqualTo(11);
    }

    private static async Task<IPage> SignInAsync(IBrowser browser, string site, string email)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 }, AcceptDownloads = true });
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
