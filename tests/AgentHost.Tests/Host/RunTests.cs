using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Core.Tools;
using AgentHost.Tools;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>Runs end to end: the API, Hangfire, Semantic Kernel's OpenAI connector, the gate, the audit trail.</summary>
public sealed class RunTests : RunHostTest
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

    internal static async Task<string> CreateAgentAsync(AgentHostFactory host, string owner = "alice@example.com", int tokensPerRun = 50_000)
    {
        var response = await host.CreateClientAs(owner).PostAsJsonAsync("/api/agents", new
        {
            name = "Ops helper",
            instructions = "Answer questions about #ops.",
            tools = new[] { "slack.read_channel", "email.send" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"], ["email.recipientDomains"] = ["partner.test"] },
            budgets = new { tokensPerRun, tokensPerDay = 1_000_000, maxTurns = 5, maxConcurrentRuns = 2 },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private Task<string> CreateAgentAsync(int tokensPerRun = 50_000) => CreateAgentAsync(Host, tokensPerRun: tokensPerRun);

    private Task<JsonElement> RunToEndAsync(string agentId, string input, string? until = null) => RunToEndAsync(Host, agentId, input, until);

    internal static async Task<JsonElement> RunToEndAsync(AgentHostFactory host, string agentId, string input, string? until = null, string owner = "alice@example.com")
    {
        var client = host.CreateClientAs(owner);
        var started = await client.PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input });
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        return await WaitForAsync(host, runId, until, owner);
    }

    internal static async Task<JsonElement> WaitForAsync(AgentHostFactory host, string runId, string? until = null, string owner = "alice@example.com", int timeoutSeconds = 15)
    {
        var client = host.CreateClientAs(owner);
        var run = default(JsonElement);
        for (var i = 0; i < timeoutSeconds * 20; i++)
        {
            run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
            var status = run.GetProperty("status").GetString();
            if (status == until || status is "succeeded" or "failed" or "stopped")
            {
                return run;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"run {runId} did not end within {timeoutSeconds} s: {run}");
    }

    private Task<List<string>> AuditTypesAsync(string runId) => AuditTypesAsync(Host, runId);

    /// <summary>
    /// The run's audit event types once its final event is in: the store shows a run ended a moment
    /// before the executor's run.succeeded (or failed, stopped) event is committed.
    /// </summary>
    internal static async Task<List<string>> AuditTypesAsync(AgentHostFactory host, string runId)
    {
        var types = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var page = await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}");
            types = page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToList();
            if (types.Count > 0 && types[^1] is "run.succeeded" or "run.failed" or "run.stopped")
            {
                break;
            }

            await Task.Delay(50);
        }

        return types;
    }

    public sealed class RunHostFactory(ModelEmulator model, IToolExecutor tools, string? dataDirectory = null, TimeProvider? time = null, IDictionary<string, string?>? settings = null) : AgentHostFactory(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
    {
        ["Model:Endpoint"] = model.Endpoint.ToString(),
        ["Model:ApiKey"] = model.ApiKey,
        ["Model:Name"] = "emulated-model",
    }, dataDirectory)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(tools);
                if (time is not null)
                {
                    services.AddSingleton(time);
                }
            });
        }
    }
}
