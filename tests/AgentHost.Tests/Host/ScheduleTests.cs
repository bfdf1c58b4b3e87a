using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

public sealed class ScheduleTests : IAsyncLifetime
{
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
    public async Task CronTrigger_IsARecurringJobInItsTimeZone_ThatStartsARunForTheOwner_AndGoesWithTheKillSwitch()
    {
        var alice = _host.CreateClientAs("alice@example.com");
        var created = await alice.PostAsJsonAsync("/api/agents", new
        {
            name = "Morning digest",
            instructions = "Summarise #ops every weekday morning.",
            tools = new[] { "slack.read_channel" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] },
            triggers = new { manual = true, schedules = new[] { new { cron = "30 8 * * 1-5", timeZone = "Europe/Berlin", input = "Morning digest please" } } },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var agentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var job = RecurringJobs().Where(j => j.Id == AgentSchedules.JobId(agentId, 0)).ShouldHaveSingleItem();
        job.Cron.ShouldBe("30 8 * * 1-5");
        job.TimeZoneId.ShouldBe("Europe/Berlin");

        _model.Enqueue(new ModelReply.Text("Nothing happened overnight."));
        await _host.Services.GetRequiredService<ScheduleJob>().TriggerAsync(agentId, 0, CancellationToken.None);
        var runs = await WaitForRunAsync(agentId);
        runs.GetProperty("requester").GetString().ShouldBe("alice@example.com");
        _model.Requests.ShouldHaveSingleItem()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>().ShouldBe("Morning digest please");

        (await alice.PostAsync($"/api/agents/{agentId}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        RecurringJobs().ShouldNotContain(j => j.Id == AgentSchedules.JobId(agentId, 0));
    }

    private List<RecurringJobDto> RecurringJobs()
    {
        using var connection = _host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    private async Task<JsonElement> WaitForRunAsync(string agentId)
    {
        var audit = _host.CreateClientAs("sam@example.com");
        for (var i = 0; i < 200; i++)
        {
            var queued = await audit.GetFromJsonAsync<JsonElement>($"/api/audit?agentId={agentId}&type=run.succeeded");
            if (queued.GetProperty("events").GetArrayLength() > 0)
            {
                return await _host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{queued.GetProperty("events")[0].GetProperty("runId").GetString()}");
            }

            await Task.Delay(50);
        }

        var all = await audit.GetFromJsonAsync<JsonElement>($"/api/audit?agentId={agentId}");
        throw new TimeoutException($"the scheduled run did not succeed within 10 s: {all}");
    }
}
