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
public sealed class ApprovalTests : IAsyncLifetime
{
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";
    private readonly RecordingToolExecutor _tools = new();
    private ModelEmulator _model = null!;
    private RunTests.RunHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _model = await ModelEmulator.StartAsync();
        _host = new RunTests.RunHostFactory(_model, _tools);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task Approved_ResumesTheRun_AndExecutesThatCallOnce()
    {
        var (runId, approvalId) = await ParkAsync(_host);
        _model.Enqueue(new ModelReply.Text("Sent the status mail."));

        var bob = _host.CreateClientAs("bob@example.com");
        var inbox = await bob.GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        inbox.EnumerateArray().ShouldContain(a => a.GetProperty("id").GetString() == approvalId && a.GetProperty("canDecide").GetBoolean());
        var decided = await bob.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve", comment = "fine" });
        var run = await RunTests.WaitForAsync(_host, runId);
        var second = await bob.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var late = await _host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject" });

        decided.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("output").GetString().ShouldBe("Sent the status mail.");
        _tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
        ((string[])_tools.Calls.Single().Arguments["to"]!).ShouldBe(["ops@partner.test"]);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        _tools.Calls.Count.ShouldBe(1);
        var types = await RunTests.AuditTypesAsync(_host, runId);
        types.ShouldContain("approval.requested");
        types.ShouldContain("approval.decided");
        types.Count(t => t == "action.executed").ShouldBe(1);
        types[^1].ShouldBe("run.succeeded");
    }

    [Fact]
    public async Task Rejected_TellsTheModelWhoAndWhy_AndNothingExecutes()
    {
        var (runId, approvalId) = await ParkAsync(_host);
        _model.Enqueue(new ModelReply.Text("Understood, not sending."));

        (await _host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject", comment = "partner is on holiday" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await RunTests.WaitForAsync(_host, runId);

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("rejected");
        _tools.Calls.ShouldBeEmpty();
        _model.Requests.Last()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>().ShouldContain("rejected by carol@example.com (partner is on holiday)");
    }

    [Fact]
    public async Task OwnerNonMemberAndBadInput_AreRefused_WithoutEffect()
    {
        var (runId, approvalId) = await ParkAsync(_host, owner: "bob@example.com");

        var self = await _host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var outsider = await _host.CreateClientAs("dave@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var security = await _host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var bad = await _host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "maybe" });
        var unknown = await _host.CreateClientAs("carol@example.com").PostAsJsonAsync("/api/approvals/ap_nope/decision", new { decision = "approve" });

        self.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await self.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("owner cannot approve");
        outsider.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        security.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _host.CreateClientAs("bob@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{runId}")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
        _tools.Calls.ShouldBeEmpty();
        (await RunTests.AuditTypesAsync(_host, runId)).Count(t => t == "auth.denied").ShouldBe(3);
    }

    [Fact]
    public async Task Expired_ContinuesTheRunWithARefusal()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var host = new RunTests.RunHostFactory(_model, _tools, time: clock);
        var (runId, approvalId) = await ParkAsync(host);
        _model.Enqueue(new ModelReply.Text("Nobody approved; I did not send it."));

        await host.Services.GetRequiredService<ApprovalExpiryJob>().ExpireAsync(approvalId, CancellationToken.None);
        var tooEarly = await RunTests.WaitForAsync(host, runId, until: "awaiting_approval");
        clock.Advance(TimeSpan.FromHours(25));
        await host.Services.GetRequiredService<ApprovalExpiryJob>().ExpireAsync(approvalId, CancellationToken.None);
        var run = await RunTests.WaitForAsync(host, runId);
        var afterExpiry = await host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });

        tooEarly.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("expired");
        afterExpiry.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        _tools.Calls.ShouldBeEmpty();
        (await RunTests.AuditTypesAsync(host, runId)).ShouldContain("approval.expired");
    }

    [Fact]
    public async Task HostRestart_WhileParked_ThenApproved_ExecutesOnce()
    {
        var (runId, approvalId) = await ParkAsync(_host);
        _host.OwnsData = false;
        _host.Dispose();
        using var restarted = new RunTests.RunHostFactory(_model, _tools, _host.DataDirectory) { OwnsData = true };
        _model.Enqueue(new ModelReply.Text("Sent after the restart."));

        (await restarted.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await RunTests.WaitForAsync(restarted, runId);

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        _tools.Calls.ShouldHaveSingleItem();
        (await restarted.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("valid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task HostRestart_WithAQueuedRun_RunsItOnce()
    {
        var agentId = await RunTests.CreateAgentAsync(_host);
        var queued = await _host.Services.GetRequiredService<RunStore>().CreateAsync(agentId, "alice@example.com", "What is new?", CancellationToken.None);
        _host.OwnsData = false;
        _host.Dispose();
        _model.Enqueue(new ModelReply.Text("Nothing new."));
        using var restarted = new RunTests.RunHostFactory(_model, _tools, _host.DataDirectory) { OwnsData = true };
        restarted.CreateClient().Dispose();

        var run = await RunTests.WaitForAsync(restarted, queued.Id);

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("output").GetString().ShouldBe("Nothing new.");
        _model.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task HostRestart_InTheMiddleOfAToolCall_MarksItOutcomeUnknown_NeverRepeatsIt()
    {
        var agentId = await RunTests.CreateAgentAsync(_host);
        var runs = _host.Services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(agentId, "alice@example.com", "Tell the partner", CancellationToken.None);
        (await runs.TryStartAsync(run.Id, CancellationToken.None)).ShouldBeTrue();
        await runs.RecordToolCallAsync(new ToolCallRecord(run.Id, 1, "call_inflight", "email.send", ExternalMail, "allow", ["email-send-allowed-recipients"], "requested", null), CancellationToken.None);
        _host.OwnsData = false;
        _host.Dispose();

        using var restarted = new RunTests.RunHostFactory(_model, _tools, _host.DataDirectory) { OwnsData = true };
        var after = await RunTests.WaitForAsync(restarted, run.Id);

        after.GetProperty("status").GetString().ShouldBe("failed");
        after.GetProperty("stopReason").GetString()!.ShouldContain("restart");
        after.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("outcome_unknown");
        _tools.Calls.ShouldBeEmpty();
        _model.Requests.ShouldBeEmpty();
        (await RunTests.AuditTypesAsync(restarted, run.Id)).ShouldContain("action.outcome_unknown");
    }

    private async Task<(string RunId, string ApprovalId)> ParkAsync(AgentHostFactory host, string owner = "alice@example.com")
    {
        var agentId = await RunTests.CreateAgentAsync(host, owner);
        _model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", ExternalMail, "call_mail")]));
        var run = await RunTests.RunToEndAsync(host, agentId, "Mail the partner our status", until: "awaiting_approval", owner: owner);
        run.GetProperty("status").GetString().ShouldBe("awaiting_approval", run.ToString());
        var runId = run.GetProperty("id").GetString()!;
        var approvals = await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        return (runId, approvals.EnumerateArray().Single(a => a.GetProperty("runId").GetString() == runId).GetProperty("id").GetString()!);
    }
}
