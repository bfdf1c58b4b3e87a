using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Approvals;
using AgentHost.Core.Runs;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Host;

/// <summary>Durable approvals end to end: park, decide, resume, execute once; refusals; expiry; restarts.</summary>
public sealed class ApprovalTests : RunHostTest
{
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";
    [Fact]
    public async Task Approved_ResumesTheRun_AndExecutesThatCallOnce()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        Model.Enqueue(new ModelReply.Text("Sent the status mail."));

        var bob = Host.CreateClientAs("bob@example.com");
        var inbox = await bob.GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        inbox.EnumerateArray().ShouldContain(a => a.GetProperty("id").GetString() == approvalId && a.GetProperty("canDecide").GetBoolean());
        var decided = await bob.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve", comment = "fine" });
        var run = await RunsApi.WaitForAsync(Host, runId);
        var second = await bob.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var late = await Host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject" });

        decided.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("output").GetString().ShouldBe("Sent the status mail.");
        Tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
        ((string[])Tools.Calls.Single().Arguments["to"]!).ShouldBe(["ops@partner.test"]);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Tools.Calls.Count.ShouldBe(1);
        var types = await RunsApi.AuditTypesAsync(Host, runId);
        types.ShouldContain("approval.requested");
        types.ShouldContain("approval.decided");
        types.Count(t => t == "action.executed").ShouldBe(1);
        types[^1].ShouldBe("run.succeeded");
    }

    [Fact]
    public async Task Rejected_TellsTheModelWhoAndWhy_AndNothingExecutes()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        Model.Enqueue(new ModelReply.Text("Understood, not sending."));

        (await Host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject", comment = "partner is on holiday" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await RunsApi.WaitForAsync(Host, runId);

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("rejected");
        Tools.Calls.ShouldBeEmpty();
        Model.Requests.Last()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>().ShouldContain("rejected by carol@example.com (partner is on holiday)");
    }

    [Fact]
    public async Task OwnerNonMemberAndBadInput_AreRefused_WithoutEffect()
    {
        var (runId, approvalId) = await ParkAsync(Host, owner: "bob@example.com");

        var self = await Host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var outsider = await Host.CreateClientAs("dave@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var security = await Host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var bad = await Host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "maybe" });
        var unknown = await Host.CreateClientAs("carol@example.com").PostAsJsonAsync("/api/approvals/ap_nope/decision", new { decision = "approve" });

        self.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await self.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("owner cannot approve");
        outsider.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        security.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Host.CreateClientAs("bob@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{runId}")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
        Tools.Calls.ShouldBeEmpty();
        (await RunsApi.AuditTypesAsync(Host, runId)).Count(t => t == "auth.denied").ShouldBe(3);
    }

    [Fact]
    public async Task Expiry_IsFoundByTheSweeper_WithoutATimerPerApproval()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var host = new RunHostFactory(Model, Tools, time: clock);
        var (runId, _) = await ParkAsync(host);
        Model.Enqueue(new ModelReply.Text("Nobody approved; I did not send it."));

        var sweeper = host.Services.GetServices<IHostedService>().OfType<ApprovalExpirySweeper>().Single();

        // A sweep that read the clock just before a jump sleeps its full length after it: each jump is
        // followed by a wake, which returns once a sweep has seen the new time.
        clock.Advance(TimeSpan.FromHours(23));
        await sweeper.Wake().WaitAsync(Eventually.Budget);
        var beforeDeadline = await host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        clock.Advance(TimeSpan.FromHours(2));
        await sweeper.Wake().WaitAsync(Eventually.Budget);
        var run = await RunsApi.WaitForAsync(host, runId);

        beforeDeadline.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("expired");
        (await RunsApi.AuditTypesAsync(host, runId)).ShouldContain("approval.expired");
    }

    [Fact]
    public async Task Expired_ContinuesTheRunWithARefusal()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var host = new RunHostFactory(Model, Tools, time: clock);
        var (runId, approvalId) = await ParkAsync(host);
        Model.Enqueue(new ModelReply.Text("Nobody approved; I did not send it."));

        await host.Services.GetRequiredService<ApprovalExpiry>().ExpireAsync(approvalId, CancellationToken.None);
        var tooEarly = await RunsApi.WaitForAsync(host, runId, until: "awaiting_approval");
        clock.Advance(TimeSpan.FromHours(25));
        await host.Services.GetRequiredService<ApprovalExpiry>().ExpireAsync(approvalId, CancellationToken.None);
        var run = await RunsApi.WaitForAsync(host, runId);
        var afterExpiry = await host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });

        tooEarly.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("expired");
        afterExpiry.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Tools.Calls.ShouldBeEmpty();
        (await RunsApi.AuditTypesAsync(host, runId)).ShouldContain("approval.expired");
    }

    [Fact]
    public async Task HostRestart_WhileParked_ThenApproved_ExecutesOnce()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        Host.OwnsData = false;
        Host.Dispose();
        using var restarted = new RunHostFactory(Model, Tools, Host.DataDirectory) { OwnsData = true };
        Model.Enqueue(new ModelReply.Text("Sent after the restart."));

        (await restarted.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await RunsApi.WaitForAsync(restarted, runId);

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem();
        (await restarted.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("valid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task HostRestart_WithAQueuedRun_RunsItOnce()
    {
        var agentId = await RunsApi.CreateAgentAsync(Host);
        var queued = await Host.Services.GetRequiredService<RunStore>().CreateAsync(agentId, "alice@example.com", "What is new?", CancellationToken.None);
        Host.OwnsData = false;
        Host.Dispose();
        Model.Enqueue(new ModelReply.Text("Nothing new."));
        using var restarted = new RunHostFactory(Model, Tools, Host.DataDirectory) { OwnsData = true };
        restarted.CreateClient().Dispose();

        var run = await RunsApi.WaitForAsync(restarted, queued.Id);

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("output").GetString().ShouldBe("Nothing new.");
        Model.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task HostRestart_InTheMiddleOfAToolCall_MarksItOutcomeUnknown_NeverRepeatsIt()
    {
        // On SQLite the restarted process ends its previous life's runs at start-up; on PostgreSQL, where
        // other workers may be alive, it ends them once their lease (short here) has run out.
        using var crashed = new RunHostFactory(Model, Tools, settings: new Dictionary<string, string?> { ["Runs:LeaseSeconds"] = "2" });
        var agentId = await RunsApi.CreateAgentAsync(crashed);
        var runs = crashed.Services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(agentId, "alice@example.com", "Tell the partner", CancellationToken.None);
        (await runs.TryStartAsync(run.Id, CancellationToken.None)).ShouldBeTrue();
        await runs.RecordToolCallAsync(new ToolCallRecord(run.Id, 1, "call_inflight", "email.send", ExternalMail, "allow", ["email-send-allowed-recipients"], ToolCallOutcome.Requested, null), CancellationToken.None);
        crashed.OwnsData = false;
        crashed.Dispose();

        using var restarted = new RunHostFactory(Model, Tools, crashed.DataDirectory) { OwnsData = true };
        var after = await RunsApi.WaitForAsync(restarted, run.Id);

        after.GetProperty("status").GetString().ShouldBe("failed");
        after.GetProperty("stopReason").GetString()!.ShouldMatch("restart|lease");
        after.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("outcome_unknown");
        Tools.Calls.ShouldBeEmpty();
        Model.Requests.ShouldBeEmpty();
        (await RunsApi.AuditTypesAsync(restarted, run.Id)).ShouldContain("action.outcome_unknown");
    }

    [Fact]
    public async Task HostRestart_AfterTheKillSwitchStoppedARunWhoseCallWasInFlight_ClosesTheCallAsOutcomeUnknown()
    {
        // The kill switch ends the run without waiting for the call in flight, whose executor records the
        // real outcome. Here that executor dies too: after the restart, the call must not stay "requested".
        using var crashed = new RunHostFactory(Model, Tools, settings: new Dictionary<string, string?> { ["Runs:LeaseSeconds"] = "2" });
        var agentId = await RunsApi.CreateAgentAsync(crashed);
        var runs = crashed.Services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(agentId, "alice@example.com", "Tell the partner", CancellationToken.None);
        (await runs.TryStartAsync(run.Id, CancellationToken.None)).ShouldBeTrue();
        await runs.RecordToolCallAsync(new ToolCallRecord(run.Id, 1, "call_1_0", "email.send", ExternalMail, "allow", ["email-send-allowed-recipients"], ToolCallOutcome.Requested, null, StartedAt: TimeProvider.System.GetUtcNow()), CancellationToken.None);
        (await runs.FinishAsync(run.Id, RunStatus.Stopped, null, "the agent was disabled (kill switch)", CancellationToken.None)).ShouldBeTrue();
        crashed.OwnsData = false;
        crashed.Dispose();

        // On PostgreSQL the live process waits until the dead one's lease is stale twice over; the same
        // short lease as the crashed host keeps that to seconds.
        using var restarted = new RunHostFactory(Model, Tools, crashed.DataDirectory, settings: new Dictionary<string, string?> { ["Runs:LeaseSeconds"] = "2" }) { OwnsData = true };
        var after = await Eventually.ReturnsAsync(
            () => restarted.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{run.Id}"),
            r => r.GetProperty("toolCalls")[0].GetProperty("outcome").GetString() != "requested",
            "recovery closes the call the dead executor left requested");

        after.GetProperty("status").GetString().ShouldBe("stopped");
        after.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("outcome_unknown");
        Tools.Calls.ShouldBeEmpty();

        // The run was ended straight in the store, without its run.stopped event: wait for the recovery's.
        (await RunsApi.AuditTypesAsync(restarted, run.Id, until: types => types.Count > 0)).ShouldContain("action.outcome_unknown");
    }

    private Task<(string RunId, string ApprovalId)> ParkAsync(AgentHostFactory host, string owner = "alice@example.com") => RunsApi.ParkAsync(host, Model, owner);

}
