using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using AngleSharp;
using AngleSharp.Dom;
using static AgentHost.Tests.Web.Forms;

namespace AgentHost.Tests.Web;

/// <summary>Run now, the run timeline, the approvals inbox, usage and audit pages over one real run.</summary>
public sealed class RunPageTests : RunHostTest
{
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";

    [Fact]
    public async Task RunParks_AnotherUserApprovesInTheInbox_AndTheRunPageShowsEveryStep()
    {
        var (runId, parked) = await StartAndParkAsync();
        using var alice = new PageClient(Host, "alice@example.com");
        using var bob = new PageClient(Host, "bob@example.com");
        var (_, aliceInbox) = await alice.GetAsync("/approvals");
        var (_, inbox) = await bob.GetAsync("/approvals");
        var section = inbox.QuerySelector("section[data-approval]").ShouldNotBeNull();

        var (decided, after) = await bob.SubmitAsync(inbox, "section[data-approval] form", [F("decision", "approve"), F("comment", "fine by me")]);
        var run = await RunsApi.WaitForAsync(Host, runId);
        var audited = await RunsApi.AuditTypesAsync(Host, runId);
        var (_, finished) = await alice.GetAsync($"/runs/{runId}");
        var (_, history) = await bob.GetAsync("/approvals");

        parked.QuerySelector("meta[http-equiv=refresh]").ShouldBeNull();
        parked.QuerySelector("#run-live")!.GetAttribute("data-ended").ShouldBe("false");
        parked.QuerySelector("script[src='/web/run-live.js']").ShouldNotBeNull();
        parked.QuerySelector("#run-status")!.TextContent.ShouldBe("awaiting_approval");
        aliceInbox.QuerySelectorAll("section[data-approval] form").ShouldBeEmpty();
        aliceInbox.QuerySelector("section[data-approval]")!.TextContent.ShouldContain("email.send");
        section.TextContent.ShouldContain("ops@partner.test");
        section.TextContent.ShouldContain("Mail the partner our status");
        section.TextContent.ShouldContain("1 of team-leads");
        section.TextContent.ShouldContain("1 more of team-leads (0 of 1)");
        section.TextContent.ShouldContain("alice@example.com (owner, requester, started the run)");
        decided.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.QuerySelector("#decision-message")!.TextContent.ShouldContain("Decision counted");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        finished.QuerySelector("meta[http-equiv=refresh]").ShouldBeNull();
        finished.QuerySelector("#run-live")!.GetAttribute("data-ended").ShouldBe("true");
        finished.QuerySelector("script[src='/web/run-live.js']").ShouldBeNull();
        finished.QuerySelector("#run-output")!.TextContent.ShouldBe("Sent the status mail.");
        finished.QuerySelector("li[data-type='model.called']")!.TextContent.ShouldContain("200 input + 15 output tokens");
        var types = finished.QuerySelectorAll("#timeline li").Select(li => li.GetAttribute("data-type")!).ToList();
        types.ShouldBe(audited);
        var call = finished.QuerySelector("#calls tbody tr").ShouldNotBeNull();
        call.TextContent.ShouldContain("require_approval");
        call.TextContent.ShouldContain("approved");
        call.TextContent.ShouldContain("approve by bob@example.com: fine by me");
        history.QuerySelector("#history")!.TextContent.ShouldContain("approved");
    }

    [Fact]
    public async Task Usage_ShowsTokensNextToEffects_ToTheOwnerAndTheManager_NeverRankingPeople()
    {
        var (runId, _) = await StartAndParkAsync();
        using (var approver = new PageClient(Host, "bob@example.com"))
        {
            var (decided, _) = await approver.SubmitAsync((await approver.GetAsync("/approvals")).Page, "section[data-approval] form", [F("decision", "approve")]);
            decided.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await RunsApi.WaitForAsync(Host, runId);
        var davesAgent = await RunsApi.CreateAgentAsync(Host, "dave@example.com");
        Model.Enqueue(new ModelReply.Text("Nothing to do.", Prompt: 100, Completion: 5));
        await RunsApi.RunToEndAsync(Host, davesAgent, "Anything new?", owner: "dave@example.com");

        var (_, alice) = await new PageClient(Host, "alice@example.com").GetAsync("/usage");
        var (_, bob) = await new PageClient(Host, "bob@example.com").GetAsync("/usage?groupBy=Owner");
        var (_, dave) = await new PageClient(Host, "dave@example.com").GetAsync("/usage");
        var (_, sam) = await new PageClient(Host, "sam@example.com").GetAsync("/usage?groupBy=Owner");

        var row = alice.QuerySelector("#usage tbody tr").ShouldNotBeNull();
        row.QuerySelector("[data-tokens]")!.GetAttribute("data-tokens").ShouldBe("525");
        row.QuerySelector("[data-effects]")!.GetAttribute("data-effects").ShouldBe("1");
        row.TextContent.ShouldContain("write: email.send × 1");
        row.TextContent.ShouldContain("1 / 0");
        alice.QuerySelectorAll("#usage tbody tr").Length.ShouldBe(1);
        var owners = bob.QuerySelectorAll("#usage tbody th").Select(th => th.TextContent).ToList();
        owners.ShouldBe(["Alice Adams <alice@example.com>", "Dave Diaz <dave@example.com>"]);
        bob.QuerySelectorAll("#usage tbody tr")[1].QuerySelector("[data-effects]")!.GetAttribute("data-effects").ShouldBe("0");
        dave.QuerySelectorAll("#usage tbody tr").Length.ShouldBe(1);
        dave.QuerySelector("#usage tbody [data-tokens]")!.GetAttribute("data-tokens").ShouldBe("105");
        sam.QuerySelectorAll("#usage tbody th").Select(th => th.TextContent).ShouldBe(["Team of Bob Baker"]);
        sam.QuerySelector("#usage")!.TextContent.ShouldNotContain("alice@example.com");
        sam.QuerySelector("#usage tbody [data-tokens]")!.GetAttribute("data-tokens").ShouldBe("630");
        foreach (var page in new[] { alice, bob, dave, sam })
        {
            page.QuerySelector("#usage")!.TextContent.ShouldNotContain("rank", Case.Insensitive);
            page.QuerySelector("svg.bars").ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task Audit_FindsEveryStepOfTheRun_LinksItsHashes_VerifiesAndExportsTheView()
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_read")], Prompt: 200, Completion: 15),
            new ModelReply.Text("Deploy is green.", Prompt: 300, Completion: 10));
        var runId = (await RunsApi.RunToEndAsync(Host, agent, "How is the deploy?")).GetProperty("id").GetString()!;
        var types = await RunsApi.AuditTypesAsync(Host, runId);
        using var sam = new PageClient(Host, "sam@example.com");

        var (_, search) = await sam.GetAsync($"/audit?runId={runId}");
        var first = search.QuerySelectorAll("#events tbody tr td:first-child a")[^1].TextContent; // newest first: the run's first event is the last row
        var (_, detail) = await sam.GetAsync($"/audit/events/{first}");
        var api = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}");
        var (_, verify) = await sam.GetAsync("/audit/verify");
        var export = search.QuerySelector("#export-csv")!.GetAttribute("href")!;
        var csv = await (await sam.RawGetAsync(export)).Content.ReadAsStringAsync();

        search.QuerySelectorAll("#events tbody tr").Select(tr => tr.GetAttribute("data-type")!).ToList().ShouldBe(Enumerable.Reverse(types).ToList());
        detail.QuerySelector("#leaf-hash")!.TextContent.ShouldBe(api.GetProperty("events")[0].GetProperty("leafHash").GetString());
        detail.QuerySelector("#root-hash").ShouldNotBeNull();
        verify.QuerySelector("#verify-result")!.TextContent.ShouldContain("Valid.");
        export.ShouldContain($"runId={runId}");
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(types.Count + 1, csv);
    }

    private async Task<(string RunId, IDocument Parked)> StartAndParkAsync()
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("email-send", ExternalMail, "call_mail")], Prompt: 200, Completion: 15),
            new ModelReply.Text("Sent the status mail.", Prompt: 300, Completion: 10));
        using var alice = new PageClient(Host, "alice@example.com");
        var (_, page) = await alice.GetAsync($"/agents/{agent}");
        var (started, _) = await alice.SubmitAsync(page, "main section form", [F("Input", "Mail the partner our status")]);
        started.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var runId = started.Headers.Location!.OriginalString.Split('/')[2];
        (await RunsApi.WaitForAsync(Host, runId, "awaiting_approval")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
        var (_, parked) = await alice.GetAsync($"/runs/{runId}");
        return (runId, parked);
    }
}
