using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Runs;

/// <summary>
/// A run waits on its model most of its life. How many runs one process drives at once must not be
/// bounded by its cores (it was cores x 4: 8 agents thinking at once on a 2-core worker).
/// </summary>
public sealed class RunConcurrencyTests : RunHostTest
{
    private const int Agents = 20;
    private const int RunsPerAgent = 2;

    [Fact]
    public async Task FortyRunsWaitingOnTheModel_AreAllInFlightAtOnce()
    {
        const int runs = Agents * RunsPerAgent;
        var waiting = 0;
        var everyRunAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Model.BeforeAnswer = () =>
        {
            if (Interlocked.Increment(ref waiting) >= runs)
            {
                everyRunAsked.TrySetResult();
            }

            return everyRunAsked.Task;
        };
        Model.Respond = _ => new ModelReply.Text("Nothing new.");

        var started = new List<string>();
        for (var a = 0; a < Agents; a++)
        {
            var agentId = await RunsApi.CreateAgentAsync(Host);
            for (var r = 0; r < RunsPerAgent; r++)
            {
                var response = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = "Anything new?" });
                response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
                started.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);
            }
        }

        // Each model request is held until all forty are waiting: with fewer runs in flight at once this never happens.
        await Eventually.TrueAsync(() => everyRunAsked.Task.IsCompleted, $"{runs} runs waiting on the model at once (seen {Volatile.Read(ref waiting)})");
        foreach (var runId in started)
        {
            (await RunsApi.WaitForAsync(Host, runId)).GetProperty("status").GetString().ShouldBe("succeeded");
        }
    }
}
