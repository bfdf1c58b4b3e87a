using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Tools;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Host;

/// <summary>
/// Every call ends with a final outcome whatever stops its run (issue 14, item 6): a call in flight when
/// the wall-time limit or the kill switch hits, the calls after it, parked calls of a killed run, and the
/// calls of a reply that blew the token budget.
/// </summary>
public sealed class RunEndingTests : RunHostTest
{
    private const string Read = """{"channel":"C0OPS"}""";

    [Fact]
    public async Task WallTimeEnds_WhileACallIsInFlight_ItEndsOutcomeUnknown_AndTheRestCancelled()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var tools = new BlockingToolExecutor();
        using var host = new RunHostFactory(Model, tools, time: clock);
        var agent = await RunsApi.CreateAgentAsync(host);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("slack-read_channel", Read, "a"), new ToolCall("slack-read_channel", Read, "b")]));
        var runId = await StartAsync(host, agent);

        await tools.Entered.WaitAsync(TimeSpan.FromSeconds(15));
        clock.Advance(TimeSpan.FromMinutes(11));
        var run = await RunsApi.WaitForAsync(host, runId);

        run.GetProperty("status").GetString().ShouldBe("stopped", run.ToString());
        run.GetProperty("stopReason").GetString()!.ShouldContain("maxWallTime");
        Outcomes(run).ShouldBe(["outcome_unknown", "cancelled"]);
        tools.Calls.ShouldBe(1);
        var types = await RunsApi.AuditTypesAsync(host, runId);
        types.ShouldContain("action.outcome_unknown");
        types.ShouldContain("action.cancelled");
        types.ShouldContain("budget.exceeded");
        types[^1].ShouldBe("run.stopped");
    }

    [Fact]
    public async Task KillSwitch_WhileACallIsInFlight_ItKeepsItsRealOutcome_AndTheRestAreCancelled()
    {
        var tools = new BlockingToolExecutor();
        using var host = new RunHostFactory(Model, tools);
        var agent = await RunsApi.CreateAgentAsync(host);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("slack-read_channel", Read, "a"), new ToolCall("email-send", """{"to":["carol@example.com"],"subject":"s","body":"b"}""", "b")]));
        var runId = await StartAsync(host, agent);

        await tools.Entered.WaitAsync(TimeSpan.FromSeconds(15));
        (await host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agent}/disable", new { reason = "runaway" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        tools.Release(new ToolResult(true, "[U0DAVE001] deploy is green", Untrusted: true));
        var run = await WaitForOutcomesAsync(host, runId, expected: 2);

        run.GetProperty("status").GetString().ShouldBe("stopped", run.ToString());
        Outcomes(run).ShouldBe(["executed", "cancelled"]);
        tools.Calls.ShouldBe(1);
        (await RunsApi.AuditTypesAsync(host, runId)).ShouldContain("action.cancelled");
    }

    [Fact]
    public async Task KillSwitch_OnAParkedRun_ItsParkedAndLaterCallsEndCancelled()
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", """{"to":["ops@partner.test"],"subject":"s","body":"b"}""", "a"), new ToolCall("slack-read_channel", Read, "b")]));
        var parked = await RunsApi.RunToEndAsync(Host, agent, "Mail the partner", until: "awaiting_approval");
        var runId = parked.GetProperty("id").GetString()!;
        Outcomes(parked).ShouldBe(["awaiting_approval", "proposed"]);

        (await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agent}/disable", new { reason = "changed my mind" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await RunsApi.WaitForAsync(Host, runId);

        run.GetProperty("status").GetString().ShouldBe("stopped");
        Outcomes(run).ShouldBe(["cancelled", "cancelled"]);
        Tools.Calls.ShouldBeEmpty();
        var audit = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}&type=action.cancelled");
        audit.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("callId").GetString()).Order().ShouldBe(["call_1_0", "call_1_1"]);
    }

    [Fact]
    public async Task TokenBudgetSpentByAReplyWithCalls_TheCallsEndCancelled_NoneRuns()
    {
        var agent = await RunsApi.CreateAgentAsync(Host, tokensPerRun: 1000);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("slack-read_channel", Read, "a"), new ToolCall("slack-read_channel", Read, "b")], Prompt: 990, Completion: 20));

        var run = await RunsApi.RunToEndAsync(Host, agent, "Read a lot");

        run.GetProperty("status").GetString().ShouldBe("stopped");
        Outcomes(run).ShouldBe(["cancelled", "cancelled"]);
        Tools.Calls.ShouldBeEmpty();
        var types = await RunsApi.AuditTypesAsync(Host, run.GetProperty("id").GetString()!);
        types.Count(t => t == "action.cancelled").ShouldBe(2);
        types.ShouldNotContain("action.requested");
    }

    private static List<string?> Outcomes(JsonElement run) => [.. run.GetProperty("toolCalls").EnumerateArray().Select(c => c.GetProperty("outcome").GetString())];

    private static async Task<string> StartAsync(AgentHostFactory host, string agent)
    {
        var started = await host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "Read #ops" });
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
    }

    /// <summary>The kill switch ends the run before its executor has closed its calls: wait for those.</summary>
    private static Task<JsonElement> WaitForOutcomesAsync(AgentHostFactory host, string runId, int expected) => Eventually.ReturnsAsync(
        () => RunsApi.WaitForAsync(host, runId),
        run => Outcomes(run).Count(o => o is not ("proposed" or "requested" or "awaiting_approval")) >= expected,
        $"run {runId} has ended and closed {expected} calls");
}
