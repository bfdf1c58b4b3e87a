using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Postgres;

/// <summary>
/// A worker that dies stops renewing the leases of the runs it executes; a surviving worker ends those
/// runs once their leases run out (tool calls in flight marked outcome_unknown), and leaves the runs of
/// live workers alone.
/// </summary>
public sealed class RunLeaseTests : IAsyncLifetime
{
    private ModelEmulator _model = null!;

    public async Task InitializeAsync() => _model = await ModelEmulator.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task ADeadWorkersRuns_AreEndedBySurvivor_ALiveWorkersAreNot()
    {
        // The host's clock is the test's: the lease keeper ticks (a quarter lease apart) when it is
        // advanced, and a lease runs out when it says so, not after seconds of real waiting.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var host = new RunHostFactory(_model, new RecordingToolExecutor(), time: clock, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:AgentHost"] = TestPostgres.Database(Guid.NewGuid().ToString("N")),
            ["Runs:LeaseSeconds"] = "60",
        });
        var created = await host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new { name = "x", instructions = "x", tools = new[] { "slack.post_message" } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var agentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var now = StoreTime.ToMicroseconds(clock.GetUtcNow());
        await ExecuteAsync(host, $"""
            INSERT INTO runs (id, agent_id, requester, input, status, created_at, lease_owner, lease_until) VALUES
                ('run_dead', '{agentId}', 'alice@example.com', 'x', 'running', {now}, 'dead-worker', {now + 5_000_000}),
                ('run_live', '{agentId}', 'alice@example.com', 'x', 'running', {now}, 'live-worker', {now + 3_600_000_000});
            INSERT INTO run_tool_calls (run_id, turn, call_id, function, arguments, decision, rules, outcome) VALUES
                ('run_dead', 1, 'call_post', 'slack.post_message', '{"{"}{"}"}', 'allow', '[]', 'requested');
            """);

        var stillLeased = await host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>("/api/runs/run_dead");
        clock.Advance(TimeSpan.FromSeconds(15));
        var dead = await RunsApi.WaitForAsync(host, "run_dead");
        var live = await host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>("/api/runs/run_live");

        stillLeased.GetProperty("status").GetString().ShouldBe("running", "its lease runs for another 5 s");
        dead.GetProperty("status").GetString().ShouldBe("failed");
        dead.GetProperty("stopReason").GetString()!.ShouldContain("stopped renewing its lease");
        dead.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("outcome_unknown");
        live.GetProperty("status").GetString().ShouldBe("running", "its worker is alive: its lease runs for another hour");
    }

    private static async Task ExecuteAsync(RunHostFactory host, string sql)
    {
        await using var connection = await host.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
