using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Runs;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Web;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>
/// Nobody approves what they own, requested or started, whatever the spelling of their address and
/// whichever door they knock on (API, web inbox). The Slack buttons are in SlackSeparationOfDutiesTests.
/// </summary>
public sealed class SeparationOfDutiesTests : RunHostTest
{
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";

    [Fact]
    public async Task Requester_StoredInAnotherSpelling_ApprovingThroughTheApi_IsRefused_AndAudited()
    {
        // bob (a team lead) asked alice's agent for the mail as " Bob@Example.COM"; the store keeps the canonical address.
        var (runId, approvalId) = await ParkAsync(requester: " Bob@Example.COM", startedBy: null);
        Model.Enqueue(new ModelReply.Text("Sent."));

        var bob = await Host.CreateClientAs("BOB@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var inbox = await Host.CreateClientAs("bob@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        var stillParked = await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval");
        var carol = await Host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var run = await RunsApi.WaitForAsync(Host, runId);

        bob.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bob.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("the run's requester cannot approve");
        var shown = inbox.EnumerateArray().Single(a => a.GetProperty("id").GetString() == approvalId);
        shown.GetProperty("canDecide").GetBoolean().ShouldBeFalse();
        shown.GetProperty("excluded").GetProperty("requester").GetString().ShouldBe("bob@example.com");
        stillParked.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        carol.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem();
        var denied = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=auth.denied&runId={runId}");
        var refusal = denied.GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        refusal.GetProperty("actor").GetString().ShouldBe("employee:bob@example.com");
        refusal.GetProperty("data").GetProperty("approvalId").GetString().ShouldBe(approvalId);
    }

    [Fact]
    public async Task Starter_ApprovingInTheWebInbox_IsRefused_AndAudited()
    {
        // alice's agent, asked for by alice, but the run was started by carol (a team lead).
        var (runId, target) = await ParkAsync(requester: "alice@example.com", startedBy: "carol@example.com");

        // carol may decide another approval, so her inbox has a form (and a token) she can aim at the target.
        var (_, other) = await ParkAsync(requester: "alice@example.com", startedBy: null);
        using var page = new PageClient(Host, "carol@example.com");
        var (_, inbox) = await page.GetAsync("/approvals");
        var offered = inbox.QuerySelectorAll("section form input[name=approvalId]").Select(i => i.GetAttribute("value")).Distinct().ToList();
        var (response, answer) = await page.SubmitAsync(inbox, $"[data-approval={other}] form", [new("approvalId", target), new("decision", "approve")]);

        offered.ShouldBe([other], "the inbox offers no buttons for what carol started");
        inbox.QuerySelector($"[data-approval={target}] .excluded")!.TextContent.ShouldContain("carol@example.com (started the run)");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        answer.QuerySelector("#decision-message")!.TextContent.ShouldContain("who started the run cannot approve");
        (await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
        (await RunsApi.AuditTypesAsync(Host, runId)).Count(t => t == "auth.denied").ShouldBe(1);
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Owner_InAnotherSpelling_IsRefused()
    {
        var (runId, approvalId) = await ParkAsync(requester: "bob@example.com", startedBy: "bob@example.com", owner: "carol@example.com");

        var owner = await Host.CreateClientAs("  Carol@Example.com ").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var starter = await Host.CreateClientAs("Bob@Example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject" });

        owner.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await owner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("owner cannot approve");
        starter.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the requester may not reject either: a decision is a decision");
        (await ApprovalGroupTests.ApprovalAsync(Host, approvalId)).GetProperty("votes").GetArrayLength().ShouldBe(0);
        (await RunsApi.AuditTypesAsync(Host, runId)).Count(t => t == "auth.denied").ShouldBe(2);
    }

    /// <summary>Parks a run of the owner's agent whose run row names a requester and a starter, as the triggers record them.</summary>
    private async Task<(string RunId, string ApprovalId)> ParkAsync(string requester, string? startedBy, string owner = "alice@example.com")
    {
        var agentId = await RunsApi.CreateAgentAsync(Host, owner);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", ExternalMail, "call_mail")]));
        var run = await Host.Services.GetRequiredService<RunStore>().CreateAsync(agentId, requester, "Mail the partner our status", startedBy, CancellationToken.None);
        Host.Services.GetRequiredService<RunDispatcher>().Enqueue(run.Id);
        (await RunsApi.WaitForAsync(Host, run.Id, until: "awaiting_approval", owner: owner)).GetProperty("status").GetString().ShouldBe("awaiting_approval");
        return (run.Id, await RunsApi.PendingApprovalAsync(Host, run.Id));
    }
}
