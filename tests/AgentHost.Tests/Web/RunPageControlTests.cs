using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AngleSharp.Dom;
using static AgentHost.Tests.Web.Forms;

namespace AgentHost.Tests.Web;

/// <summary>
/// The run page tells the truth about a run's actions and offers its controls: a rejected production
/// deploy is listed as not done above the model's claim, a waiting approval names who may decide it,
/// the owner stops a run from the page, and a disabled agent's pages say so.
/// </summary>
public sealed class RunPageControlTests : RunHostTest
{
    private const string Production = """{"repo":"acme/web","ref":"main","environment":"production","description":"main to production"}""";

    [Fact]
    public async Task RejectedDeploy_IsListedAsNotDone_AboveTheModelsClaim_OnTheRunPageAndTheRunsList()
    {
        var agentId = await CreateDeployAgentAsync();
        var (runId, approvalId) = await RunsApi.ParkAsync(Host, Model, agentId: agentId, call: new ToolCall("deploy-create_deployment", Production, "call_prod"), input: "Ship main to production");
        using var alice = new PageClient(Host, "alice@example.com");
        var (_, waiting) = await alice.GetAsync($"/runs/{runId}");
        Model.Enqueue(new ModelReply.Text("Deployed main to production."));
        (await Host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject", comment = "freeze until Monday" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RunsApi.WaitForAsync(Host, runId)).GetProperty("status").GetString().ShouldBe("succeeded");
        await RunsApi.AuditTypesAsync(Host, runId);

        var (_, page) = await alice.GetAsync($"/runs/{runId}");
        var (_, list) = await alice.GetAsync($"/runs?agentId={agentId}");

        var deciders = waiting.QuerySelector("section[data-waiting] .deciders").ShouldNotBeNull().TextContent;
        deciders.ShouldContain("1 of deploy-approvers");
        deciders.ShouldContain("Bob Baker <bob@example.com>");
        deciders.ShouldContain("Carol Chen <carol@example.com>");
        deciders.ShouldNotContain("alice@example.com");
        var notDone = page.QuerySelector("#not-executed").ShouldNotBeNull();
        notDone.TextContent.ShouldContain("deploy.create_deployment");
        notDone.TextContent.ShouldContain("not executed: rejected");
        notDone.TextContent.ShouldContain("freeze until Monday");
        var output = page.QuerySelector("#run-output").ShouldNotBeNull();
        output.TextContent.ShouldBe("Deployed main to production.");
        notDone.CompareDocumentPosition(output).HasFlag(DocumentPositions.Following).ShouldBeTrue("the actions that did not happen come before the model's words");
        page.QuerySelector("#run-outcome")!.TextContent.ShouldContain("1 of 1 action not executed (1 rejected)");
        page.QuerySelector("section[data-waiting]").ShouldBeNull();
        page.QuerySelector("#calls [data-decided-at]").ShouldNotBeNull().TextContent.ShouldStartWith("rejected at ");
        var row = list.QuerySelector($"tr[data-run='{runId}'] [data-actions]").ShouldNotBeNull();
        row.TextContent.ShouldContain("0 of 1 executed");
        row.TextContent.ShouldContain("not executed: 1 rejected");
    }

    [Fact]
    public async Task OwnerStopsARunFromItsPage_OthersHaveNoButton_AndAForgedPostIsRefused()
    {
        var (runId, _) = await RunsApi.ParkAsync(Host, Model);
        using var alice = new PageClient(Host, "alice@example.com");
        using var bob = new PageClient(Host, "bob@example.com");
        var (_, alicePage) = await alice.GetAsync($"/runs/{runId}");
        var (_, bobPage) = await bob.GetAsync($"/runs/{runId}");
        var (_, bobInbox) = await bob.GetAsync("/approvals");

        // bob sees the run (alice's manager) but may not stop it: no button, and a post with his own token is refused.
        var (forged, _) = await bob.SubmitAsync(bobInbox, "section[data-approval] form", [F("reason", "mine")], action: $"/runs/{runId}?handler=stop");
        var (withoutToken, _) = await alice.SubmitAsync(alicePage, "#run-stop", [F("reason", "no token")], withToken: false);
        var (stopped, _) = await alice.SubmitAsync(alicePage, "#run-stop", [F("reason", "wrong partner")]);
        var (_, after) = await alice.GetAsync($"/runs/{runId}");
        var (replayed, replayPage) = await alice.SubmitAsync(alicePage, "#run-stop", [F("reason", "again")]);

        bobPage.QuerySelector("#run-stop").ShouldBeNull();
        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        withoutToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        stopped.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.QuerySelector("#run-status")!.TextContent.ShouldBe("stopped");
        after.QuerySelector("#run-stop").ShouldBeNull();
        after.QuerySelector("#run-live")!.GetAttribute("data-ended").ShouldBe("true");
        after.QuerySelector("#calls tbody tr")!.GetAttribute("data-outcome").ShouldBe("cancelled");
        after.QuerySelector("#not-executed")!.TextContent.ShouldContain("not executed: cancelled");
        after.Body!.TextContent.ShouldContain("stopped by alice@example.com: wrong partner");
        after.QuerySelector("#calls")!.TextContent.ShouldNotContain("awaiting_approval");
        replayed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        replayPage.QuerySelector("#stop-message")!.TextContent.ShouldContain("already ended");
    }

    [Fact]
    public async Task DisabledAgent_ItsPagesSaySo_WithWhoWhenAndWhy_AndTheOwnerReEnablesItFromItsPage()
    {
        var (runId, _) = await RunsApi.ParkAsync(Host, Model);
        var agentId = (await RunsApi.WaitForAsync(Host, runId, "awaiting_approval")).GetProperty("agentId").GetString()!;
        (await Host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/agents/{agentId}/disable", new { reason = "mails leaking" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var alice = new PageClient(Host, "alice@example.com");
        using var sam = new PageClient(Host, "sam@example.com");

        var (_, agentPage) = await alice.GetAsync($"/agents/{agentId}");
        var (_, runPage) = await alice.GetAsync($"/runs/{runId}");
        var (_, runsPage) = await alice.GetAsync($"/runs?agentId={agentId}");
        var (_, samsPage) = await sam.GetAsync($"/agents/{agentId}");
        var (noReason, noReasonPage) = await alice.SubmitAsync(agentPage, "form[action*='handler=enable']", [F("reason", " ")]);
        var (enabled, _) = await alice.SubmitAsync(agentPage, "form[action*='handler=enable']", [F("reason", "recipients fixed")]);
        var (_, reEnabled) = await alice.GetAsync($"/agents/{agentId}");

        foreach (var page in new[] { agentPage, runPage, runsPage })
        {
            var banner = page.QuerySelector("#agent-disabled").ShouldNotBeNull(page.Url);
            banner.TextContent.ShouldContain("disabled");
            banner.TextContent.ShouldContain("sam@example.com");
            banner.TextContent.ShouldContain("mails leaking");
        }

        runPage.QuerySelector("#calls tbody tr")!.GetAttribute("data-outcome").ShouldBe("cancelled");
        samsPage.QuerySelector("form[action*='handler=enable']").ShouldBeNull();
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        noReasonPage.QuerySelector("#enable-error")!.TextContent.ShouldContain("Say why");
        enabled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        reEnabled.QuerySelector("#agent-disabled").ShouldBeNull();
        reEnabled.QuerySelector("#run-now").ShouldNotBeNull();
    }

    private async Task<string> CreateDeployAgentAsync()
    {
        var response = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Release helper",
            instructions = "Ship what you are asked to ship.",
            tools = new[] { "deploy.create_deployment" },
            scopes = new Dictionary<string, string[]> { ["github.repos"] = ["acme/web"], ["github.environments"] = ["staging", "production"] },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
