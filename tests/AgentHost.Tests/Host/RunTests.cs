using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Host;

/// <summary>Runs end to end: the API, Hangfire, Semantic Kernel's OpenAI connector, the gate, the audit trail.</summary>
public sealed partial class RunTests : RunHostTest
{
    [Fact]
    public async Task Run_ReadsThenAnswers_ExecutingTheAllowedCallOnce_AndAuditsEveryStep()
    {
        var agent = await CreateAgentAsync();
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_read")], Prompt: 200, Completion: 15),
            new ModelReply.Text("Deploy is green.", Prompt: 300, Completion: 10));

        var run = await RunToEndAsync(agent, "How is the deploy?");

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("output").GetString().ShouldBe("Deploy is green.");
        run.GetProperty("tokens").GetProperty("total").GetInt64().ShouldBe(525);
        var call = run.GetProperty("toolCalls").EnumerateArray().ShouldHaveSingleItem();
        call.GetProperty("outcome").GetString().ShouldBe("executed");
        call.GetProperty("rules")[0].GetString().ShouldBe("slack-read-granted-channels");
        Tools.Calls.ShouldHaveSingleItem().Arguments["channel"].ShouldBe("C0OPS");
        var toolMessage = Model.Requests.Last()["messages"]!.AsArray().Last()!;
        toolMessage["role"]!.GetValue<string>().ShouldBe("tool");
        toolMessage["content"]!.GetValue<string>().ShouldContain("\"untrusted\":true");
        var types = await AuditTypesAsync(run.GetProperty("id").GetString()!);
        types.ShouldBe(["run.queued", "run.started", "model.called", "action.requested", "policy.decided", "action.executed", "model.called", "run.succeeded"]);
    }

    [Fact]
    public async Task DeniedCall_NeverReachesThePlugin_AndTheModelIsTold()
    {
        var agent = await CreateAgentAsync();
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0EXEC\"}")]),
            new ModelReply.Text("I may not read that channel."));

        var run = await RunToEndAsync(agent, "Read the exec channel");

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("denied");
        Tools.Calls.ShouldBeEmpty();
        Model.Requests.Last()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>().ShouldContain("denied by policy");
        (await AuditTypesAsync(run.GetProperty("id").GetString()!)).ShouldContain("action.denied");
    }

    [Fact]
    public async Task CallNeedingApproval_ParksTheRun_WithoutExecuting()
    {
        var agent = await CreateAgentAsync();
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"green\"}")]));

        var run = await RunToEndAsync(agent, "Tell the partner", until: "awaiting_approval");

        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("awaiting_approval");
        Tools.Calls.ShouldBeEmpty();
        (await AuditTypesAsync(run.GetProperty("id").GetString()!)).ShouldContain("approval.requested");

        var alice = Host.CreateClientAs("alice@example.com");
        (await alice.PostAsJsonAsync($"/api/agents/{agent}/disable", new { reason = "changed my mind" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await alice.GetFromJsonAsync<JsonElement>($"/api/runs/{run.GetProperty("id").GetString()}")).GetProperty("status").GetString().ShouldBe("stopped");
    }

    [Fact]
    public async Task TokenBudget_StopsTheRun_WithBudgetExceeded()
    {
        var agent = await CreateAgentAsync(tokensPerRun: 1000);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}")], Prompt: 990, Completion: 20));

        var run = await RunToEndAsync(agent, "Read a lot");

        run.GetProperty("status").GetString().ShouldBe("stopped");
        run.GetProperty("stopReason").GetString()!.ShouldContain("tokensPerRun");
        Tools.Calls.ShouldBeEmpty();
        (await AuditTypesAsync(run.GetProperty("id").GetString()!)).ShouldContain("budget.exceeded");
    }

    [Fact]
    public async Task MalformedArguments_GoBackToTheModel_AndTheRunContinues()
    {
        var agent = await CreateAgentAsync();
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{not json")]),
            new ModelReply.Text("Sorry."));

        var run = await RunToEndAsync(agent, "Read");

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("denied");
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task ModelFailure_FailsTheRun_WithTheReason()
    {
        var agent = await CreateAgentAsync();
        Model.Enqueue(new ModelReply.Failure(500), new ModelReply.Failure(500), new ModelReply.Failure(500), new ModelReply.Failure(500));

        var run = await RunToEndAsync(agent, "Anything");

        run.GetProperty("status").GetString().ShouldBe("failed");
        run.GetProperty("stopReason").GetString()!.ShouldContain("500");
    }

    [Fact]
    public async Task StartRun_BadInputOrOthersAgent_IsRefused()
    {
        var agent = await CreateAgentAsync();

        (await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Host.CreateClientAs("dave@example.com").PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "hi" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "hi" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Host.CreateClientAs("dave@example.com").GetAsync("/api/runs/run_nope")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private Task<string> CreateAgentAsync(int tokensPerRun = 50_000) => RunsApi.CreateAgentAsync(Host, tokensPerRun: tokensPerRun);

    private Task<JsonElement> RunToEndAsync(string agentId, string input, string? until = null) => RunsApi.RunToEndAsync(Host, agentId, input, until);

    private Task<List<string>> AuditTypesAsync(string runId) => RunsApi.AuditTypesAsync(Host, runId);
}
