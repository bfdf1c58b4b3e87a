using System.Net;
using System.Net.Sockets;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.Playwright;

namespace AgentHost.Tests.Web;

/// <summary>
/// The approver in a real browser (Debian's chromium driven by Playwright): the inbox says when a request
/// expires and who may decide it; approving lets the run finish; rejecting asks for a reason (a blank one
/// is refused beside the field), and the reason is on the run's page for its owner.
/// </summary>
public sealed class ApproverBrowserTests : RunHostTest
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Approve_OnTheWeb_TheRunFinishes()
    {
        var (site, browser, playwright) = await StartAsync();
        using (playwright)
        await using (browser)
        {
            var (runId, approvalId) = await RunsApi.ParkAsync(Host, Model);
            Model.Enqueue(new ModelReply.Text("Sent the status mail."));
            var bob = await SignInAsync(browser, site, "bob@example.com");

            await bob.GotoAsync($"{site}/approvals");
            var card = bob.Locator($"#approval-{approvalId}");
            await Assertions.Expect(card.Locator(".expires")).ToContainTextAsync("expires in 24 h");
            await Assertions.Expect(card.Locator(".expires")).ToContainTextAsync("UTC");
            await Assertions.Expect(card.Locator(".may-decide")).ToHaveTextAsync("team-leads: Bob Baker, Carol Chen");
            await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await Assertions.Expect(bob.Locator("#decision-message")).ToContainTextAsync("Decision counted");
            var run = await RunsApi.WaitForAsync(Host, runId);

            run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
            Tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
        }
    }

    [Fact]
    public async Task Reject_OnTheWeb_NeedsAReason_WhichTheOwnerReadsOnTheRunPage()
    {
        var (site, browser, playwright) = await StartAsync();
        using (playwright)
        await using (browser)
        {
            var (runId, approvalId) = await RunsApi.ParkAsync(Host, Model);
            Model.Enqueue(new ModelReply.Text("Understood, not sending."));
            var carol = await SignInAsync(browser, site, "carol@example.com");
            await carol.GotoAsync($"{site}/approvals");
            var card = carol.Locator($"#approval-{approvalId}");

            // Blank (spaces pass the browser's own check): refused beside the field, nothing decided.
            await card.Locator("summary", new() { HasText = "Reject" }).ClickAsync();
            await card.GetByLabel("Why do you reject it?").FillAsync("   ");
            await card.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true }).ClickAsync();
            card = carol.Locator($"#approval-{approvalId}");
            await Assertions.Expect(card.Locator($"#reason-error-{approvalId}")).ToContainTextAsync("Say why you reject it");
            await Assertions.Expect(card.GetByLabel("Why do you reject it?")).ToHaveAttributeAsync("aria-invalid", "true");
            var parked = await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval");

            await card.GetByLabel("Why do you reject it?").FillAsync("the partner is on holiday");
            await card.GetByRole(AriaRole.Button, new() { Name = "Reject", Exact = true }).ClickAsync();
            await Assertions.Expect(carol.Locator("#decision-message")).ToContainTextAsync("Decision counted");
            var run = await RunsApi.WaitForAsync(Host, runId);

            var alice = await SignInAsync(browser, site, "alice@example.com");
            await alice.GotoAsync($"{site}/runs/{runId}");
            await Assertions.Expect(alice.Locator("main")).ToContainTextAsync("reject by carol@example.com: the partner is on holiday", new() { Timeout = 20_000 });

            parked.GetProperty("status").GetString().ShouldBe("awaiting_approval", "a blank reason rejects nothing");
            run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("rejected");
            Tools.Calls.ShouldBeEmpty();
        }
    }

    private async Task<(string Site, IBrowser Browser, IPlaywright Playwright)> StartAsync()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: run `bash tests/web/install-browser.sh` (apt-get install -y chromium) and run the test again");
        var port = FreePort();
        Host.UseKestrel(port);
        Host.StartServer();
        Host.ClientOptions.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        return ($"http://127.0.0.1:{port}", browser, playwright);
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
