using System.Net;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using AngleSharp.Dom;

namespace AgentHost.Tests.Web;

/// <summary>
/// /agents per role (security and admins: every agent, with filters; employees: their own; managers:
/// their reports' on request), the navigation's count of approvals waiting for me, the audit page's
/// names beside ids and actor by e-mail, and usage's team rows.
/// </summary>
public sealed class SecurityPagesTests : RunHostTest
{
    [Fact]
    public async Task SecurityAndAdmins_SeeEveryAgent_AndFilterIt_EmployeesSeeOnlyTheirOwn()
    {
        var alices = await RunsApi.CreateAgentAsync(Host, "alice@example.com");
        var daves = await RunsApi.CreateAgentAsync(Host, "dave@example.com");
        var carols = await RunsApi.CreateAgentAsync(Host, "carol@example.com");
        await Host.CreateClientAs("sam@example.com").PostAsync($"/api/agents/{carols}/disable", new StringContent("""{"reason":"test"}""", System.Text.Encoding.UTF8, "application/json"));
        using var sam = new PageClient(Host, "sam@example.com");
        using var root = new PageClient(Host, "root@example.com");
        using var alice = new PageClient(Host, "alice@example.com");
        using var bob = new PageClient(Host, "bob@example.com");

        var all = Agents((await sam.GetAsync("/agents")).Page);
        var admin = Agents((await root.GetAsync("/agents")).Page);
        var team = Agents((await sam.GetAsync("/agents?team=BOB@example.com")).Page);
        var owner = Agents((await sam.GetAsync("/agents?owner=Dave@Example.com")).Page);
        var disabled = Agents((await sam.GetAsync("/agents?state=disabled")).Page);
        var byTool = Agents((await sam.GetAsync("/agents?tool=email.send&state=enabled")).Page);
        var none = (await sam.GetAsync("/agents?tool=deploy.production")).Page;
        var own = Agents((await alice.GetAsync("/agents")).Page);
        var (refused, _) = await alice.GetAsync("/agents?owner=dave@example.com");
        var reports = Agents((await bob.GetAsync("/agents?owner=dave@example.com")).Page);
        var bobsOwn = Agents((await bob.GetAsync("/agents")).Page);

        all.ShouldBe([alices, daves, carols]);
        admin.ShouldBe(all);
        team.ShouldBe([alices, daves]);
        owner.ShouldBe([daves]);
        disabled.ShouldBe([carols]);
        byTool.ShouldBe([alices, daves]);
        none.QuerySelector("#no-agents")!.TextContent.ShouldContain("No agent matches");
        own.ShouldBe([alices]);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        reports.ShouldBe([daves]);
        bobsOwn.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheNavigation_CountsApprovalsIMayDecide_NotMyOwnAgents_NorOnesIDecided()
    {
        await RunsApi.ParkAsync(Host, Model); // alice's run asks team-leads (bob, carol)
        await RunsApi.ParkAsync(Host, Model, owner: "bob@example.com"); // bob's own: he may not decide it

        var bob = await CountAsync("bob@example.com");
        var carol = await CountAsync("carol@example.com");
        var alice = await CountAsync("alice@example.com");
        var sam = await CountAsync("sam@example.com");

        bob.ShouldBe("1");
        carol.ShouldBe("2");
        alice.ShouldBeNull("alice is in no approver group");
        sam.ShouldBeNull("security sees approvals but decides none of these");
    }

    [Fact]
    public async Task TheAuditPage_ShowsNamesBesideIds_FindsTheActorByEmail_AndPagesBothWays()
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(new ModelReply.Text("Nothing to do."));
        await RunsApi.RunToEndAsync(Host, agent, "Anything?");
        using var sam = new PageClient(Host, "sam@example.com");

        var (_, byAgent) = await sam.GetAsync($"/audit?agentId={agent}");
        var (_, byEmail) = await sam.GetAsync("/audit?actor=EMPLOYEE:Alice@Example.com");
        var (_, firstPage) = await sam.GetAsync("/audit");
        var (_, bad) = await sam.GetAsync("/audit?from=yesterday");

        byAgent.QuerySelector("#events tbody td.agent")!.TextContent.ShouldContain("Ops helper");
        var actors = byEmail.QuerySelectorAll("#events tbody td.actor").Select(td => td.TextContent).ToList();
        actors.ShouldNotBeEmpty();
        actors.ShouldAllBe(a => a.Contains("Alice Adams") && a.Contains("alice@example.com"));
        var seqs = firstPage.QuerySelectorAll("#events tbody tr").Select(tr => long.Parse(tr.GetAttribute("data-seq")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        seqs.ShouldBe(seqs.OrderDescending().ToList());
        firstPage.QuerySelector("#events caption")!.TextContent.ShouldContain("newest first");
        firstPage.QuerySelector("#newer-page").ShouldBeNull("the first page is the newest");
        bad.QuerySelector("#from-error")!.TextContent.ShouldContain("must be a date");
    }

    [Fact]
    public async Task Usage_PutsOwnersWithoutAManagerOrReports_InOneNoTeamRow_NotAOnePersonTeam_AndCountsInWords()
    {
        var carols = await RunsApi.CreateAgentAsync(Host, "carol@example.com");
        Model.Enqueue(new ModelReply.Text("Nothing to do.", Prompt: 10, Completion: 2));
        await RunsApi.RunToEndAsync(Host, carols, "Anything?", owner: "carol@example.com");
        var alices = await RunsApi.CreateAgentAsync(Host, "alice@example.com");
        Model.Enqueue(new ModelReply.Text("Nothing to do.", Prompt: 10, Completion: 2));
        await RunsApi.RunToEndAsync(Host, alices, "Anything?");
        using var sam = new PageClient(Host, "sam@example.com");

        var (_, usage) = await sam.GetAsync("/usage?groupBy=Team");

        var rows = usage.QuerySelectorAll("#usage tbody th").Select(th => th.TextContent).ToList();
        rows.ShouldBe([AgentHost.Usage.UsageReport.NoTeam, "Team of Bob Baker"]);
        usage.QuerySelector("#usage")!.TextContent.ShouldNotContain("Carol");
        usage.QuerySelector("#usage tbody")!.TextContent.ShouldContain("1 run");
        usage.QuerySelector("#usage tbody")!.TextContent.ShouldContain("0 effects");
        usage.QuerySelector("#effects-chart")!.TextContent.ShouldContain("effects");
        usage.QuerySelector("#tokens-chart")!.TextContent.ShouldContain("tokens");
    }

    private async Task<string?> CountAsync(string email)
    {
        using var client = new PageClient(Host, email);
        var (_, page) = await client.GetAsync("/runs");
        return page.QuerySelector("#approvals-waiting")?.TextContent is { } text ? new string([.. text.Where(char.IsDigit)]) : null;
    }

    private static List<string> Agents(IDocument page) =>
        [.. page.QuerySelectorAll("#agents tbody tr").Select(tr => tr.GetAttribute("data-agent")!)];
}
