using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Agents;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

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

    [Fact]
    public async Task AScheduleSyncThatFails_OnAStaleHangfireLock_IsRetried_AndNeverFailsTheWorkersStart()
    {
        var alice = Host.CreateClientAs("alice@example.com");
        var created = await alice.PostAsJsonAsync("/api/agents", new
        {
            name = "Nightly",
            instructions = "Summarise #ops.",
            tools = new[] { "slack.read_channel" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] },
            triggers = new { manual = true, schedules = new[] { new { cron = "0 2 * * *", timeZone = "UTC", input = "night" } } },
        });
        var agentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var real = Host.Services.GetRequiredService<IRecurringJobManager>();
        real.RemoveIfExists(AgentSchedules.JobId(agentId, 0));

        // The lock a SIGKILLed worker left: the first two attempts time out as Hangfire.PostgreSql's would.
        var locked = new StaleLockJobManager(real, failures: 2);
        var clock = new FakeTimeProvider();
        var reconciliation = ActivatorUtilities.CreateInstance<RunReconciliation>(Host.Services, new AgentSchedules(locked), (TimeProvider)clock);

        var sync = reconciliation.SyncSchedulesAsync([agentId], CancellationToken.None);
        await Eventually.ReturnsAsync(() => Task.FromResult(locked.Attempts), attempts => attempts >= 1, "the first attempt fails on the lock");
        RecurringJobs().ShouldNotContain(j => j.Id == AgentSchedules.JobId(agentId, 0));

        // Only the host's clock moves the retries on: each look advances it by one retry delay.
        await Eventually.ReturnsAsync(
            () =>
            {
                clock.Advance(RunReconciliation.ScheduleRetryDelay);
                return Task.FromResult(sync.IsCompleted);
            },
            done => done,
            "the sync succeeds once the lock is gone");
        await sync;
        locked.Attempts.ShouldBe(3);
        RecurringJobs().Where(j => j.Id == AgentSchedules.JobId(agentId, 0)).ShouldHaveSingleItem().Cron.ShouldBe("0 2 * * *");
    }

    private sealed class StaleLockJobManager(IRecurringJobManager inner, int failures) : IRecurringJobManager
    {
        public int Attempts { get; private set; }

        public void AddOrUpdate(string recurringJobId, Hangfire.Common.Job job, string cronExpression, RecurringJobOptions options)
        {
            if (++Attempts <= failures)
            {
                throw new Hangfire.Storage.DistributedLockTimeoutException($"hangfire:lock:recurring-job:{recurringJobId}");
            }

            inner.AddOrUpdate(recurringJobId, job, cronExpression, options);
        }

        public void Trigger(string recurringJobId) => inner.Trigger(recurringJobId);

        public void RemoveIfExists(string recurringJobId) => inner.RemoveIfExists(recurringJobId);
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
