using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Agents;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

public sealed class ScheduleTests : RunHostTest
{
    [Fact]
    public async Task CronTrigger_IsARecurringJobInItsTimeZone_ThatStartsARunForTheOwner_AndGoesWithTheKillSwitch()
    {
        var alice = Host.CreateClientAs("alice@example.com");
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

        Model.Enqueue(new ModelReply.Text("Nothing happened overnight."));
        await Host.Services.GetRequiredService<ScheduleJob>().TriggerAsync(agentId, 0, CancellationToken.None);
        var runs = await WaitForRunAsync(agentId);
        runs.GetProperty("requester").GetString().ShouldBe("alice@example.com");
        Model.Requests.ShouldHaveSingleItem()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>().ShouldBe("Morning digest please");

        (await alice.PostAsync($"/api/agents/{agentId}/disable", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        RecurringJobs().ShouldNotContain(j => j.Id == AgentSchedules.JobId(agentId, 0));
    }

    private List<RecurringJobDto> RecurringJobs()
    {
        using var connection = Host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    private async Task<JsonElement> WaitForRunAsync(string agentId)
    {
        var audit = Host.CreateClientAs("sam@example.com");
        var succeeded = await Eventually.ReturnsAsync(
            async () => (await audit.GetFromJsonAsync<JsonElement>($"/api/audit?agentId={agentId}")).GetProperty("events"),
            events => events.EnumerateArray().Any(e => e.GetProperty("type").GetString() == "run.succeeded"),
            "the scheduled run succeeds");
        var runId = succeeded.EnumerateArray().First(e => e.GetProperty("type").GetString() == "run.succeeded").GetProperty("runId").GetString();
        return await Host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
    }
}
