using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Runs;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.DependencyInjection;
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
        var run = await RunTests.WaitForAsync(Host, runId);
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
        var types = await RunTests.AuditTypesAsync(Host, runId);
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
        var run = await RunTests.WaitForAsync(Host, runId);

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
        (await RunTests.AuditTypesAsync(Host, runId)).Count(t => t == "auth.denied").ShouldBe(3);
    }

    [Fact]
    public async Task Expiry_IsFoundByTheSweeper_WithoutATimerPerApproval()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var host = new RunTests.RunHostFactory(Model, Tools, time: clock);
        var (runId, _) = await ParkAsync(host);
        Model.Enqueue(new ModelReply.Text("Nobody approved; I did not send it."));

        clock.Advance(TimeSpan.FromHours(23));
        var beforeDeadline = await RunTests.WaitForAsync(host, runId, until: "awaiting_approval");
        clock.Advance(TimeSpan.FromHours(2));

        // Time keeps passing, as it does for real: a sweep that read the clock just before the jump goes
        // to sleep after it, and only a later tick wakes it (on PostgreSQL the sweep's query is slower,
        // which made this window visible).
        using var ticking = new CancellationTokenSource();
        var ticks = Task.Run(async () =>
        {
            while (!ticking.IsCancellationRequested)
            {
                await Task.Delay(100);
                clock.Advance(TimeSpan.FromMinutes(1));
            }
        });
        var run = await RunTests.WaitForAsync(host, runId);
        await ticking.CancelAsync();
        await ticks;

        beforeDeadline.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("expired");
        (await RunTests.AuditTypesAsync(host, runId)).ShouldContain("approval.expired");
    }

    [Fact]
    public async Task Expired_ContinuesTheRunWithARefusal()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var host = new RunTests.RunHostFactory(Model, Tools, time: clock);
        var (runId, approvalId) = await ParkAsync(host);
        Model.Enqueue(new ModelReply.Text("Nobody approved; I did not send it."));

        await host.Services.GetRequiredService<ApprovalExpiry>().ExpireAsync(approvalId, CancellationToken.None);
        var tooEarly = await RunTests.WaitForAsync(host, runId, until: "awaiting_approval");
        clock.Advance(TimeSpan.FromHours(25));
        await host.Services.GetRequiredService<ApprovalExpiry>().ExpireAsync(approvalId, CancellationToken.None);
        var run = await RunTests.WaitForAsync(host, runId);
        var afterExpiry = await host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });

        tooEarly.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("expired");
        afterExpiry.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        Tools.Calls.ShouldBeEmpty();
        (await RunTests.AuditTypesAsync(host, runId)).ShouldContain("approval.expired");
    }

    [Fact]
    public async Task HostRestart_WhileParked_ThenApproved_ExecutesOnce()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        Host.OwnsData = false;
        Host.Dispose();
        using var restarted = new RunTests.RunHostFactory(Model, Tools, Host.DataDirectory) { OwnsData = true };
        Model.Enqueue(new ModelReply.Text("Sent after the restart."));

        (await restarted.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await RunTests.WaitForAsync(restarted, runId);

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem();
        (await restarted.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("valid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task HostRestart_WithAQueuedRun_RunsItOnce()
    {
        var agentId = await RunTests.CreateAgentAsync(Host);
        var queued = await Host.Services.GetRequiredService<RunStore>().CreateAsync(agentId, "alice@example.com", "What is new?", CancellationToken.None);
        Host.OwnsData = false;
        Host.Dispose();
        Model.Enqueue(new ModelReply.Text("Nothing new."));
        using var restarted = new RunTests.RunHostFactory(Model, Tools, Host.DataDirectory) { OwnsData = true };
        restarted.CreateClient().Dispose();

        var run = await RunTests.WaitForAsync(restarted, queued.Id);

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("output").GetString().ShouldBe("Nothing new.");
        Model.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task HostRestart_InTheMiddleOfAToolCall_MarksItOutcomeUnknown_NeverRepeatsIt()
    {
        // On SQLite the restarted process ends its previous life's runs at start-up; on PostgreSQL, where
        // other workers may be alive, it ends them once their lease (short here) has run out.
        using var crashed = new RunTests.RunHostFactory(Model, Tools, settings: new Dictionary<string, string?> { ["Runs:LeaseSeconds"] = "2" });
        var agentId = await RunTests.CreateAgentAsync(crashed);
        var runs = crashed.Services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(agentId, "alice@example.com", "Tell the partner", CancellationToken.None);
        (await runs.TryStartAsync(run.Id, CancellationToken.None)).ShouldBeTrue();
        await runs.RecordToolCallAsync(new ToolCallRecord(run.Id, 1, "call_inflight", "email.send", ExternalMail, "allow", ["email-send-allowed-recipients"], ToolCallOutcome.Requested, null), CancellationToken.None);
        crashed.OwnsData = false;
        crashed.Dispose();

        using var restarted = new RunTests.RunHostFactory(Model, Tools, crashed.DataDirectory) { OwnsData = true };
        var after = await RunTests.WaitForAsync(restarted, run.Id, timeoutSeconds: 30);

        after.GetProperty("status").GetString().ShouldBe("failed");
        after.GetProperty("stopReason").GetString()!.ShouldMatch("restart|lease");
        after.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("outcome_unknown");
        Tools.Calls.ShouldBeEmpty();
        Model.Requests.ShouldBeEmpty();
        (await RunTests.AuditTypesAsync(restarted, run.Id)).ShouldContain("action.outcome_unknown");
    }

    [Fact]
    public async Task HostRestart_AfterTheKillSwitchStoppedARunWhoseCallWasInFlight_ClosesTheCallAsOutcomeUnknown()
    {
        // The kill switch ends the run without waiting for the call in flight, whose executor records the
        // real outcome. Here that executor dies too: after the restart, the call must not stay "requested".
        using var crashed = new RunTests.RunHostFactory(Model, Tools, settings: new Dictionary<string, string?> { ["Runs:LeaseSeconds"] = "2" });
        var agentId = await RunTests.CreateAgentAsync(crashed);
        var runs = crashed.Services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(agentId, "alice@example.com", "Tell the partner", CancellationToken.None);
        (await runs.TryStartAsync(run.Id, CancellationToken.None)).ShouldBeTrue();
        await runs.RecordToolCallAsync(new ToolCallRecord(run.Id, 1, "call_1_0", "email.send", ExternalMail, "allow", ["email-send-allowed-recipients"], ToolCallOutcome.Requested, null, StartedAt: TimeProvider.System.GetUtcNow()), CancellationToken.None);
        (await runs.FinishAsync(run.Id, RunStatus.Stopped, null, "the agent was disabled (kill switch)", CancellationToken.None)).ShouldBeTrue();
        crashed.OwnsData = false;
        crashed.Dispose();

        // On PostgreSQL the live process waits until the dead one's lease is stale twice over; the same
        // short lease as the crashed host keeps that to seconds.
        using var restarted = new RunTests.RunHostFactory(Model, Tools, crashed.DataDirectory, settings: new Dictionary<string, string?> { ["Runs:LeaseSeconds"] = "2" }) { OwnsData = true };
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        JsonElement after;
        do
        {
            after = await restarted.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{run.Id}");
            if (after.GetProperty("toolCalls")[0].GetProperty("outcome").GetString() != "requested")
            {
                break;
            }

            await Task.Delay(100);
        }
        while (TimeProvider.System.GetUtcNow() < deadline);

        after.GetProperty("status").GetString().ShouldBe("stopped");
        after.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("outcome_unknown");
        Tools.Calls.ShouldBeEmpty();
        (await RunTests.AuditTypesAsync(restarted, run.Id)).ShouldContain("action.outcome_unknown");
    }

    private async Task<(string RunId, string ApprovalId)> ParkAsync(AgentHostFactory host, string owner = "alice@example.com")
    {
        var agentId = await RunTests.CreateAgentAsync(host, owner);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", ExternalMail, "call_mail")]));
        var run = await RunTests.RunToEndAsync(host, agentId, "Mail the partner our status", until: "awaiting_approval", owner: owner);
        run.GetProperty("status").GetString().ShouldBe("awaiting_approval", run.ToString());
        var runId = run.GetProperty("id").GetString()!;
        var approvals = await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        return (runId, approvals.EnumerateArray().Single(a => a.GetProperty("runId").GetString() == runId).GetProperty("id").GetString()!);
    }
}
