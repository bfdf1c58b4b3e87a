using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Approvals;
using AgentHost.Core.Runs;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Runs;

/// <summary>
/// Stopping one run (POST /api/runs/{id}/stop), undoing the kill switch (POST /api/agents/{id}/enable),
/// and what a stopped run then says about its calls and approvals.
/// </summary>
public sealed class RunControlTests : RunHostTest
{
    [Fact]
    public async Task OwnerStopsAParkedRun_ItsCallIsCancelled_ItsApprovalCancelledAtThatMoment_AuditedAsTheOwner()
    {
        var (runId, approvalId) = await RunsApi.ParkAsync(Host, Model);
        var before = TimeProvider.System.GetUtcNow();

        var stopped = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/runs/{runId}/stop", new { reason = "wrong partner" });

        stopped.StatusCode.ShouldBe(HttpStatusCode.OK, await stopped.Content.ReadAsStringAsync());
        var run = await stopped.Content.ReadFromJsonAsync<JsonElement>();
        run.GetProperty("status").GetString().ShouldBe("stopped");
        run.GetProperty("stopReason").GetString().ShouldBe("stopped by alice@example.com: wrong partner");
        run.GetProperty("toolCalls").EnumerateArray().Select(c => c.GetProperty("outcome").GetString()).ShouldBe(["cancelled"]);
        run.GetProperty("actions").GetProperty("cancelled").GetInt32().ShouldBe(1);
        run.GetProperty("outcome").GetString().ShouldBe("stopped; 1 of 1 action not executed (1 cancelled)");
        var approval = (await Host.Services.GetRequiredService<ApprovalStore>().GetAsync(approvalId, CancellationToken.None))!;
        approval.Status.ShouldBe(ApprovalStatus.Cancelled);
        approval.DecidedAt.ShouldNotBeNull();
        approval.DecidedAt.Value.ShouldBeInRange(before.AddSeconds(-1), TimeProvider.System.GetUtcNow().AddSeconds(1));
        approval.DecidedAt.Value.ShouldBeLessThan(approval.ExpiresAt);
        var trail = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}");
        var last = trail.GetProperty("events").EnumerateArray().Last();
        last.GetProperty("type").GetString().ShouldBe("run.stopped");
        last.GetProperty("actor").GetString()!.ShouldContain("alice@example.com");
        Tools.Calls.ShouldBeEmpty();

        // A replayed stop changes nothing and says why.
        (await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/runs/{runId}/stop", new { reason = "again" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}&type=run.stopped")).GetProperty("events").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task OnlyTheOwnerOrAnAdminStopsARun_OthersWhoSeeItGet403_TheRest404()
    {
        var (runId, _) = await RunsApi.ParkAsync(Host, Model);

        foreach (var (who, status) in new[] { ("dave@example.com", HttpStatusCode.NotFound), ("carol@example.com", HttpStatusCode.NotFound), ("bob@example.com", HttpStatusCode.Forbidden), ("sam@example.com", HttpStatusCode.Forbidden) })
        {
            (await Host.CreateClientAs(who).PostAsJsonAsync($"/api/runs/{runId}/stop", new { reason = "mine now" })).StatusCode.ShouldBe(status, who);
        }

        (await RunsApi.WaitForAsync(Host, runId, "awaiting_approval")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
        (await Host.CreateClientAs("ROOT@Example.com").PostAsJsonAsync($"/api/runs/{runId}/stop", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RunsApi.WaitForAsync(Host, runId)).GetProperty("stopReason").GetString().ShouldBe("stopped by root@example.com");
    }

    [Fact]
    public async Task KillSwitch_OnARunWhoseApprovalWasDecidedButNotResumed_ItsCallEndsCancelled_NotAwaitingApproval()
    {
        var (runId, approvalId) = await RunsApi.ParkAsync(Host, Model);
        // Decided straight in the store: no resumption is dispatched, as when the host restarts in between.
        (await Host.Services.GetRequiredService<ApprovalStore>().VoteAsync(approvalId, "bob@example.com", approve: true, null, (_, _) => true, CancellationToken.None)).ShouldBe(VoteOutcome.Approved);
        var agentId = (await RunsApi.WaitForAsync(Host, runId, "awaiting_approval")).GetProperty("agentId").GetString()!;

        (await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agentId}/disable", new { reason = "runaway" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var run = await RunsApi.WaitForAsync(Host, runId);
        run.GetProperty("status").GetString().ShouldBe("stopped");
        run.GetProperty("toolCalls").EnumerateArray().Select(c => c.GetProperty("outcome").GetString()).ShouldBe(["cancelled"]);
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task ARunLeftStoppedWithACallAwaitingApproval_IsClosedAtStartUp_Cancelled_AndAudited()
    {
        // As an older host left a killed parked run: stopped, its call still awaiting approval.
        using var older = new RunHostFactory(Model, Tools);
        var agentId = await RunsApi.CreateAgentAsync(older);
        var runs = older.Services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(agentId, "alice@example.com", "Tell the partner", CancellationToken.None);
        (await runs.TryStartAsync(run.Id, CancellationToken.None)).ShouldBeTrue();
        await runs.RecordToolCallAsync(new ToolCallRecord(run.Id, 1, "call_1_0", "email.send", RunsApi.ExternalMail, "require_approval", ["rule"], ToolCallOutcome.AwaitingApproval, null), CancellationToken.None);
        (await runs.FinishAsync(run.Id, RunStatus.Stopped, null, "the agent was disabled (kill switch)", CancellationToken.None)).ShouldBeTrue();
        older.OwnsData = false;
        older.Dispose();

        using var restarted = new RunHostFactory(Model, Tools, older.DataDirectory) { OwnsData = true };
        var after = await restarted.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{run.Id}");

        after.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("cancelled");
        after.GetProperty("outcome").GetString().ShouldBe("stopped; 1 of 1 action not executed (1 cancelled)");
        (await RunsApi.AuditTypesAsync(restarted, run.Id, until: types => types.Count > 0)).ShouldContain("action.cancelled");
    }

    [Fact]
    public async Task KillSwitch_IsUndoneByTheOwnerWithAReason_SecurityMayNot_AndTheAgentRunsAgain()
    {
        var agentId = await RunsApi.CreateAgentAsync(Host);
        var alice = Host.CreateClientAs("alice@example.com");
        (await Host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/agents/{agentId}/disable", new { reason = "leaking status mails" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var disabled = await alice.GetFromJsonAsync<JsonElement>($"/api/agents/{agentId}");

        var bySecurity = await Host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/agents/{agentId}/enable", new { reason = "fine now" });
        var withoutReason = await alice.PostAsJsonAsync($"/api/agents/{agentId}/enable", new { reason = "  " });
        var byOwner = await alice.PostAsJsonAsync($"/api/agents/{agentId}/enable", new { reason = "fixed the recipient list" });
        var again = await alice.PostAsJsonAsync($"/api/agents/{agentId}/enable", new { reason = "twice" });

        disabled.GetProperty("disabled").GetBoolean().ShouldBeTrue();
        disabled.GetProperty("disabledBy").GetString().ShouldBe("sam@example.com");
        disabled.GetProperty("disabledReason").GetString().ShouldBe("leaking status mails");
        disabled.GetProperty("disabledAt").ValueKind.ShouldBe(JsonValueKind.String);
        bySecurity.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        withoutReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await withoutReason.Content.ReadAsStringAsync()).ShouldContain("reason");
        byOwner.StatusCode.ShouldBe(HttpStatusCode.OK, await byOwner.Content.ReadAsStringAsync());
        var enabled = await byOwner.Content.ReadFromJsonAsync<JsonElement>();
        enabled.GetProperty("disabled").GetBoolean().ShouldBeFalse();
        enabled.GetProperty("disabledBy").ValueKind.ShouldBe(JsonValueKind.Null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var audit = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?agentId={agentId}&type=agent.enabled");
        var enabledEvent = audit.GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        enabledEvent.GetProperty("data").GetProperty("reason").GetString().ShouldBe("fixed the recipient list");
        enabledEvent.GetProperty("data").GetProperty("disabledReason").GetString().ShouldBe("leaking status mails");

        Model.Enqueue(new ModelReply.Text("All quiet."));
        (await RunsApi.RunToEndAsync(Host, agentId, "Anything new?")).GetProperty("status").GetString().ShouldBe("succeeded");
    }

    [Fact]
    public async Task ARunWhoseActionWasRejected_SaysSo_InItsOutcomeAndTheRunList()
    {
        var (runId, approvalId) = await RunsApi.ParkAsync(Host, Model);
        Model.Enqueue(new ModelReply.Text("Sent the status mail."));
        (await Host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject", comment = "not to partners" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var run = await RunsApi.WaitForAsync(Host, runId);
        var agentId = run.GetProperty("agentId").GetString()!;
        var list = await Host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs?agentId={agentId}");

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("outcome").GetString().ShouldBe("succeeded; 1 of 1 action not executed (1 rejected)");
        run.GetProperty("actions").GetProperty("rejected").GetInt32().ShouldBe(1);
        run.GetProperty("actions").GetProperty("executed").GetInt32().ShouldBe(0);
        var listed = list.EnumerateArray().ShouldHaveSingleItem();
        listed.GetProperty("outcome").GetString().ShouldBe(run.GetProperty("outcome").GetString());
        listed.GetProperty("actions").GetProperty("rejected").GetInt32().ShouldBe(1);
        (await Host.CreateClientAs("dave@example.com").GetAsync($"/api/runs?agentId={agentId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Host.CreateClientAs("dave@example.com").GetFromJsonAsync<JsonElement>("/api/runs")).GetArrayLength().ShouldBe(0);
    }
}
