using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;

namespace AgentHost.Tests.Slack;

/// <summary>
/// Blast radius is counted in calls, not only tokens (issue 14, item 6): one reply cannot post 300
/// messages, a run cannot exceed its calls, and an agent cannot write faster than its effects per minute.
/// Posts are counted where they land, in the Slack emulator, through the real Slack plugin.
/// </summary>
public sealed class ToolCallBudgetTests : SlackHostTest
{
    [Fact]
    public async Task OneReplyWith300Posts_PostsAtMost20_AndTheRestAreRefused_Audited()
    {
        var agent = await CreateAgentAsync(Host);
        Model.Enqueue(new ModelReply.ToolCalls([.. Enumerable.Range(0, 300).Select(i => Post($"spam {i}"))]), new ModelReply.Text("Posted what I could."));

        var started = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "Announce the release" });
        var run = await RunsApi.WaitForAsync(Host, (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString()[..Math.Min(2000, run.ToString().Length)]);
        Posts().ShouldBe(20);
        var calls = run.GetProperty("toolCalls").EnumerateArray().ToList();
        calls.Count.ShouldBe(300);
        calls.Take(20).ShouldAllBe(c => c.GetProperty("outcome").GetString() == "executed");
        calls.Skip(20).ShouldAllBe(c => c.GetProperty("outcome").GetString() == "denied" && c.GetProperty("rules")[0].GetString() == "builtin:budget:maxToolCallsPerTurn");
        var exceeded = (await EventsAsync(run, "budget.exceeded")).ShouldHaveSingleItem().GetProperty("data");
        exceeded.GetProperty("budget").GetString().ShouldBe("maxToolCallsPerTurn");
        exceeded.GetProperty("refused").GetInt32().ShouldBe(280);
        exceeded.GetProperty("callIds").GetArrayLength().ShouldBe(280);
        (await EventsAsync(run, "action.requested")).Count.ShouldBe(20);
        Model.Requests.Last()["messages"]!.AsArray().Count(m => m!["role"]!.GetValue<string>() == "tool").ShouldBe(300);
    }

    [Fact]
    public async Task ARunPastItsCalls_IsRefusedTheExcess_AndStops()
    {
        var agent = await CreateAgentAsync(Host, perTurn: 5, perRun: 8);
        Model.Enqueue(
            new ModelReply.ToolCalls([.. Enumerable.Range(0, 5).Select(i => Post($"first {i}"))]),
            new ModelReply.ToolCalls([.. Enumerable.Range(0, 5).Select(i => Post($"second {i}"))]),
            new ModelReply.Text("never asked"));

        var run = await RunsApi.RunToEndAsync(Host, agent, "Announce the release");

        run.GetProperty("status").GetString().ShouldBe("stopped", run.ToString());
        run.GetProperty("stopReason").GetString()!.ShouldContain("maxToolCallsPerRun");
        Posts().ShouldBe(8);
        run.GetProperty("toolCalls").EnumerateArray().Count(c => c.GetProperty("outcome").GetString() == "denied").ShouldBe(2);
        Model.Requests.Count.ShouldBe(2);
        (await EventsAsync(run, "budget.exceeded")).Select(e => e.GetProperty("data").GetProperty("budget").GetString()).ShouldBe(["maxToolCallsPerRun", "maxToolCallsPerRun"]);
    }

    [Fact]
    public async Task EffectsPerMinute_CountWritesOfTheAgentAcrossRuns_ReadsAreFree()
    {
        using var host = new SlackHostFactory(Model, Slack, Tools, extra: new() { ["Limits:EffectsPerAgentPerMinute"] = "3" });
        var agent = await CreateAgentAsync(host);
        Model.Enqueue(
            new ModelReply.ToolCalls([Post("one"), Post("two"), new ToolCall("slack-read_channel", """{"channel":"C0OPS"}""")]),
            new ModelReply.Text("first run done"),
            new ModelReply.ToolCalls([Post("three"), Post("four"), Post("five")]),
            new ModelReply.Text("second run done"));

        var first = await RunsApi.RunToEndAsync(host, agent, "Post twice");
        var second = await RunsApi.RunToEndAsync(host, agent, "Post three times");

        first.GetProperty("status").GetString().ShouldBe("succeeded", first.ToString());
        second.GetProperty("status").GetString().ShouldBe("succeeded", second.ToString());
        Posts().ShouldBe(3);
        var refused = second.GetProperty("toolCalls").EnumerateArray().Where(c => c.GetProperty("outcome").GetString() == "denied").ToList();
        refused.Count.ShouldBe(2);
        refused.ShouldAllBe(c => c.GetProperty("rules")[0].GetString() == "builtin:budget:effectsPerMinute");
        var exceeded = await EventsAsync(second, "budget.exceeded", host);
        exceeded.Select(e => e.GetProperty("data").GetProperty("budget").GetString()).ShouldBe(["effectsPerMinute", "effectsPerMinute"]);
        (await EventsAsync(second, "policy.decided", host)).Count.ShouldBe(3);
    }

    [Theory]
    [InlineData(0, 200, "budgets.maxToolCallsPerTurn")]
    [InlineData(201, 300, "budgets.maxToolCallsPerTurn")]
    [InlineData(20, 10, "budgets.maxToolCallsPerRun")]
    [InlineData(20, 10_001, "budgets.maxToolCallsPerRun")]
    public async Task CallBudgets_OutOfRange_AreRefusedNamingTheField(int perTurn, int perRun, string field)
    {
        var response = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", Definition(perTurn, perRun));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    private static ToolCall Post(string text) => new("slack-post_message", JsonSerializer.Serialize(new { channel = "C0OPS", text }));

    private int Posts() => Slack.CallsOf("chat.postMessage").Count(c => c.Arguments["blocks"] is null);

    private async Task<List<JsonElement>> EventsAsync(JsonElement run, string type, AgentHostFactory? host = null)
    {
        var runId = run.GetProperty("id").GetString()!;
        await RunsApi.AuditTypesAsync(host ?? Host, runId);
        var page = await (host ?? Host).CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}&type={type}&limit=500");
        return [.. page.GetProperty("events").EnumerateArray()];
    }

    private static object Definition(int perTurn, int perRun) => new
    {
        name = "Announcer",
        instructions = "Post release notes to #ops.",
        tools = new[] { "slack.post_message", "slack.read_channel" },
        scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] },
        budgets = new { tokensPerRun = 500_000, tokensPerDay = 5_000_000, maxTurns = 5, maxConcurrentRuns = 2, maxToolCallsPerTurn = perTurn, maxToolCallsPerRun = perRun },
    };

    private static async Task<string> CreateAgentAsync(AgentHostFactory host, int perTurn = 20, int perRun = 200)
    {
        var response = await host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", Definition(perTurn, perRun));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
