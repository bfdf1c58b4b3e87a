using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Tests.Runs;

/// <summary>
/// A run whose worker died (its lease ran out) with no tool call in flight lost nothing but time: a
/// survivor queues it again and it goes on from its stored history, repeating no call it already made.
/// </summary>
public sealed class InterruptedRunsTests : IAsyncLifetime
{
    private ModelEmulator _model = null!;

    public async Task InitializeAsync() => _model = await ModelEmulator.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task DeadWorker_NoCallInFlight_RunIsRequeuedAndSucceeds()
    {
        using var host = Host();
        var agentId = await CreateAgentAsync(host);
        _model.Enqueue(new ModelReply.Text("done after the restart"));
        await InsertDeadRunAsync(host, agentId, "run_requeued", turns: 0, history: null);

        var run = await RunsApi.WaitForAsync(host, "run_requeued");

        run.GetProperty("status").GetString().ShouldBe("succeeded", "a dead worker's run with no call in flight is re-queued, not failed");
        run.GetProperty("output").GetString().ShouldBe("done after the restart");
        var audit = await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit?type=run.queued&runId=run_requeued");
        audit.GetProperty("events").EnumerateArray().ShouldHaveSingleItem().GetProperty("data").GetProperty("requeued").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task DeadWorker_AfterAFinishedCall_RunGoesOnFromItsHistory_WithoutRepeatingTheCall()
    {
        using var host = Host();
        var agentId = await CreateAgentAsync(host);
        _model.Enqueue(new ModelReply.Text("went on"));
        var history = new ChatHistory("you are a test agent");
        history.AddUserMessage("post hello");
        history.Add(new ChatMessageContent(AuthorRole.Assistant, items: [new FunctionCallContent("post_message", "slack", "call_1_0", new KernelArguments { ["channel"] = "C1", ["text"] = "hello" })]));
        history.Add(new FunctionResultContent("post_message", "slack", "call_1_0", "{\"ok\":true}").ToChatMessage());
        await InsertDeadRunAsync(host, agentId, "run_history", turns: 1, history: ChatHistoryJson.Serialize(history));
        await ExecuteAsync(host, """
            INSERT INTO run_tool_calls (run_id, turn, call_id, function, arguments, decision, rules, outcome) VALUES
                ('run_history', 1, 'call_1_0', 'slack.post_message', '{"channel":"C1","text":"hello"}', 'allow', '[]', 'executed');
            """);

        var run = await RunsApi.WaitForAsync(host, "run_history");

        run.GetProperty("status").GetString().ShouldBe("succeeded");
        run.GetProperty("toolCalls").EnumerateArray().ShouldHaveSingleItem().GetProperty("outcome").GetString().ShouldBe("executed");
        var request = _model.Requests.ShouldHaveSingleItem();
        request["messages"]!.AsArray().Count.ShouldBe(4, "the model saw the stored turn and its call's result, not a fresh start");
    }

    [Theory]
    [InlineData("executed")]
    [InlineData("awaiting_approval")]
    [InlineData("denied")]
    public async Task DeadWorker_WithADecidedCallWhoseResultNeverReachedTheHistory_IsNotRequeued_ButEndsFailed(string outcome)
    {
        // The worker recorded the call's outcome and died before saving the history: a re-queued run would
        // put the call to the gate again (an executed post twice; a parked call on an approval already used).
        using var host = Host();
        var agentId = await CreateAgentAsync(host);
        var history = new ChatHistory("you are a test agent");
        history.AddUserMessage("post hello");
        history.Add(new ChatMessageContent(AuthorRole.Assistant, items: [new FunctionCallContent("post_message", "slack", "call_1_0", new KernelArguments { ["channel"] = "C1", ["text"] = "hello" })]));
        await InsertDeadRunAsync(host, agentId, "run_unsaved", turns: 1, history: ChatHistoryJson.Serialize(history));
        await ExecuteAsync(host, $"""
            INSERT INTO run_tool_calls (run_id, turn, call_id, function, arguments, decision, rules, outcome) VALUES
                ('run_unsaved', 1, 'call_1_0', 'slack.post_message', '{"{"}"channel":"C1","text":"hello"{"}"}', 'allow', '[]', '{outcome}');
            """);

        var run = await RunsApi.WaitForAsync(host, "run_unsaved");

        run.GetProperty("status").GetString().ShouldBe("failed");
        _model.Requests.ShouldBeEmpty("the run did not go on");
    }

    [Fact]
    public async Task DeadWorker_OfARunRequeuedTooOften_EndsFailed()
    {
        using var host = Host();
        var agentId = await CreateAgentAsync(host);
        await InsertDeadRunAsync(host, agentId, "run_poison", turns: 0, history: null);
        await ExecuteAsync(host, $"UPDATE runs SET requeues = {AgentHost.Core.Runs.RunRequeue.MaxRequeues} WHERE id = 'run_poison'");

        var run = await RunsApi.WaitForAsync(host, "run_poison");

        run.GetProperty("status").GetString().ShouldBe("failed", "whatever killed its workers three times would kill the next");
        _model.Requests.ShouldBeEmpty();
    }

    private AgentHostFactory Host() => new(new Dictionary<string, string?>
    {
        ["Runs:LeaseSeconds"] = "2",
        ["Model:Endpoint"] = _model.Endpoint.ToString(),
        ["Model:ApiKey"] = _model.ApiKey,
    });

    private static async Task<string> CreateAgentAsync(AgentHostFactory host)
    {
        var created = await host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new { name = "x", instructions = "x", tools = new[] { "slack.post_message" } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task InsertDeadRunAsync(AgentHostFactory host, string agentId, string runId, int turns, string? history)
    {
        var now = StoreTime.ToMicroseconds(TimeProvider.System.GetUtcNow());
        await using var connection = await host.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO runs (id, agent_id, requester, input, status, created_at, lease_owner, lease_until, turns, history) "
            + "VALUES (@id, @agent, 'alice@example.com', 'post hello', 'running', @now, 'dead-worker', @expired, @turns, @history)";
        command.AddParameter("@id", runId);
        command.AddParameter("@agent", agentId);
        command.AddParameter("@now", now);
        command.AddParameter("@expired", now - 1_000_000);
        command.AddParameter("@turns", turns);
        command.AddParameter("@history", history);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(AgentHostFactory host, string sql)
    {
        await using var connection = await host.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
