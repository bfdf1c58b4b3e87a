using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Notifications;
using AgentHost.Core.Storage;
using AgentHost.Slack;
using AgentHost.Tests.Emulators;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Slack;

/// <summary>
/// A mention is in the store before Slack hears 200 and starts one run whatever Slack or a crash repeats;
/// a click or mention whose handling always fails is given up after Slack:MaxInboundAttempts.
/// </summary>
public sealed class SlackInboundTests : SlackHostTest
{
    [Fact]
    public async Task Mention_RedeliveredWithTheSameEventId_OrAsASlackRetry_OrReplayedFromEditedState_StartsOneRun()
    {
        var agentId = await CreateMentionAgentAsync();
        var asked = Slack.Seed("C0OPS", "U0DAVE001", "<@U0AGENTBOT> what's up in ops?");
        Model.Enqueue(new ModelReply.Text("All quiet."), new ModelReply.Text("A second run answered."));
        var mention = Event("Ev0DUP01", "app_mention", "U0DAVE001", "C0OPS", asked, "<@U0AGENTBOT> what's up in ops?");

        var first = await PostSignedAsync(Host, "/slack/events", mention, "application/json");
        var again = await PostSignedAsync(Host, "/slack/events", mention, "application/json");
        var retried = await PostSignedAsync(Host, "/slack/events", mention, "application/json", headers: new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });
        await EventuallyAsync(() => Replies(asked).Count > 0, "the answer in the thread");

        // The worst replay: someone un-marks the recorded mention and its job runs again.
        await ExecuteAsync(Host, "UPDATE inbound_events SET handled_at = NULL WHERE source = 'slack_mention'");
        await Host.Services.GetRequiredService<SlackMentionJob>().HandleRecordedMentionAsync("Ev0DUP01", CancellationToken.None);

        new[] { first, again, retried }.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        (await RunCountAsync(Host, agentId)).ShouldBe(1);
        Replies(asked).ShouldHaveSingleItem()["text"]!.GetValue<string>().ShouldBe("All quiet.");

        // The same words under another event id are another request: the test can tell two runs from one.
        var other = Event("Ev0DUP02", "app_mention", "U0DAVE001", "C0OPS", asked, "<@U0AGENTBOT> what's up in ops?");
        (await PostSignedAsync(Host, "/slack/events", other, "application/json")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.TrueAsync(async () => await RunCountAsync(Host, agentId) == 2, "a second event id starts a second run");
    }

    [Fact]
    public async Task MentionAcknowledged_HostDiesBeforeItsJob_TheRestartedHostStartsItsRunOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"));
        var asked = Slack.Seed("C0OPS", "U0DAVE001", "<@U0AGENTBOT> what's up in ops?");
        string agentId;
        using (var dying = new SlackHostFactory(Model, Slack, Tools, dataDirectory: data, services: s => DroppedJobs.Install(s, job => job.Type == typeof(SlackMentionJob))))
        {
            agentId = await CreateMentionAgentAsync(host: dying);
            var mention = Event("Ev0CRASH1", "app_mention", "U0DAVE001", "C0OPS", asked, "<@U0AGENTBOT> what's up in ops?");
            (await PostSignedAsync(dying, "/slack/events", mention, "application/json")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await RunCountAsync(dying, agentId)).ShouldBe(0, "the job that would start the run never ran");
        }

        Model.Enqueue(new ModelReply.Text("All quiet."));
        using var restarted = new SlackHostFactory(Model, Slack, Tools, dataDirectory: data) { OwnsData = true };
        restarted.StartServer();
        await EventuallyAsync(() => Replies(asked).Count > 0, "the restarted host answers the acknowledged mention");

        (await RunCountAsync(restarted, agentId)).ShouldBe(1);
        var unhandled = await restarted.Services.GetRequiredService<InboundEventLog>().UnhandledAsync(SlackMention.Source, TimeProvider.System.GetUtcNow(), CancellationToken.None);
        unhandled.ShouldBeEmpty("the replayed mention is marked handled");
    }

    [Fact]
    public async Task Click_WhoseHandlingAlwaysFails_IsGivenUpAfterTheConfiguredAttempts_AuditedLoggedAndNeverReplayed()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var logs = new ConcurrentQueue<string>();
        using var host = new SlackHostFactory(Model, Slack, Tools, clock, extra: new() { ["Slack:MaxInboundAttempts"] = "3" }, services: s => s.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(logs)));

        // A stranger's click is answered privately; in a channel Slack does not know, that answer fails every time.
        var click = ClickBody("U0STRANGER", "appr_poison", approve: true, channel: "C0GONE").Replace("%22type%22%3A%22block_actions%22", "%22type%22%3A%22block_actions%22%2C%22trigger_id%22%3A%22poison-1%22", StringComparison.Ordinal);
        (await PostSignedAsync(host, "/slack/interactivity", click, "application/x-www-form-urlencoded", at: clock.GetUtcNow())).StatusCode.ShouldBe(HttpStatusCode.OK);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await Eventually.TrueAsync(async () => await AttemptsAsync(host) == attempt, $"attempt {attempt}");
            if (attempt < 3)
            {
                clock.Advance(InboundEventPruning.Interval); // the sweep's next tick replays it
            }
        }

        var row = await Eventually.ReturnsAsync(() => RowAsync(host), r => r.HandledAt is not null, "the click is given up");
        row.Failure.ShouldBe("SlackApiException");
        var audit = await Eventually.ReturnsAsync(
            async () => (await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit?type=inbound.given_up")).GetProperty("events"),
            events => events.GetArrayLength() > 0,
            "the give-up is audited");
        var givenUp = audit.EnumerateArray().ShouldHaveSingleItem().GetProperty("data");
        givenUp.GetProperty("eventId").GetString().ShouldBe("trigger:poison-1");
        givenUp.GetProperty("attempts").GetInt64().ShouldBe(3);
        // The give-up is logged after it is audited, so the log line may still be on its way.
        await Eventually.TrueAsync(
            () => logs.Any(l => l.StartsWith("Error: Inbound slack_click event trigger:poison-1 failed 3 times and is given up", StringComparison.Ordinal)),
            "the give-up is logged as an error");

        clock.Advance(InboundEventPruning.Interval);
        var replayed = await SlackReconciliation.ReplayAsync(host.Services.GetRequiredService<InboundEventLog>(), host.Services.GetRequiredService<IBackgroundJobClient>(), clock.GetUtcNow(), CancellationToken.None);
        replayed.ShouldBe(0);
        (await AttemptsAsync(host)).ShouldBe(3);
    }

    [Fact]
    public void MaxInboundAttempts_OutOfRange_RefusesToStart()
    {
        using var host = new SlackHostFactory(Model, Slack, Tools, extra: new() { ["Slack:MaxInboundAttempts"] = "0" });

        Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => host.CreateClient()).Message.ShouldContain("MaxInboundAttempts");
    }

    private List<System.Text.Json.Nodes.JsonObject> Replies(string thread) =>
        [.. Slack.CallsOf("chat.postMessage").Where(c => c.Arguments["thread_ts"]?.GetValue<string>() == thread).Select(c => c.Arguments)];

    private static async Task<long> RunCountAsync(SlackHostFactory host, string agentId) =>
        await host.Services.GetRequiredService<StoreDatabase>().ScalarAsync<long>("SELECT COUNT(*) FROM runs WHERE agent_id = @agentId", new { agentId }, CancellationToken.None);

    private static async Task<long> AttemptsAsync(SlackHostFactory host) => (await RowAsync(host)).Attempts;

    private static async Task<InboundRow> RowAsync(SlackHostFactory host) =>
        (await host.Services.GetRequiredService<StoreDatabase>().QuerySingleOrDefaultAsync<InboundRow>(
            "SELECT attempts AS Attempts, handled_at AS HandledAt, failure AS Failure FROM inbound_events WHERE source = 'slack_click'", null, CancellationToken.None))!;

    private static Task<int> ExecuteAsync(SlackHostFactory host, string sql) =>
        host.Services.GetRequiredService<StoreDatabase>().ExecuteAsync(sql, null, CancellationToken.None);

    private sealed record InboundRow
    {
        public long Attempts { get; init; }

        public long? HandledAt { get; init; }

        public string? Failure { get; init; }
    }
}
