using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Notifications;
using AgentHost.Core.Storage;
using AgentHost.Slack;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Slack;

/// <summary>
/// A click is in the store before Slack hears 200: a host that dies right after the acknowledgement loses
/// no decision, a replayed request counts once, and inbound_events keeps only its replay window.
/// </summary>
public sealed class SlackClickDurabilityTests : SlackHostTest
{

    [Fact]
    public async Task ClickAcknowledged_HostDiesBeforeItsJob_TheRestartedHostAppliesItOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"));
        string runId;
        using (var dying = new SlackHostFactory(Model, Slack, Tools, dataDirectory: data, services: DropClickJobs))
        {
            (runId, var approvalId) = await ParkAsync(dying);
            var click = await PostSignedAsync(dying, "/slack/interactivity", ClickBody("U0BOB0001", approvalId, approve: true), "application/x-www-form-urlencoded");
            click.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        Model.Enqueue(new ModelReply.Text("Sent the status mail."));
        using var restarted = new SlackHostFactory(Model, Slack, Tools, dataDirectory: data) { OwnsData = true };
        var run = await RunsApi.WaitForAsync(restarted, runId);

        run.GetProperty("status").GetString().ShouldBe("succeeded", "the acknowledged click was applied after the restart: " + run);
        Tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
        (await PendingClicksAsync(restarted)).ShouldBe(0, "the replayed click is marked handled");
    }

    [Fact]
    public async Task TheSameSlackPayloadTwice_IsAppliedOnce()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        Model.Enqueue(new ModelReply.Text("Sent the status mail."));
        var body = ClickBody("U0BOB0001", approvalId, approve: true).Replace("%22type%22%3A%22block_actions%22", "%22type%22%3A%22block_actions%22%2C%22trigger_id%22%3A%2213345224609.738474920.8088930838d88f008e0%22", StringComparison.Ordinal);

        var first = await PostSignedAsync(Host, "/slack/interactivity", body, "application/x-www-form-urlencoded");
        var replay = await PostSignedAsync(Host, "/slack/interactivity", body, "application/x-www-form-urlencoded");
        var run = await RunsApi.WaitForAsync(Host, runId);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        replay.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem();
        var approvals = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals");
        approvals.EnumerateArray().Single(a => a.GetProperty("id").GetString() == approvalId).GetProperty("votes").GetArrayLength().ShouldBe(1);
        Slack.CallsOf("chat.postEphemeral").ShouldBeEmpty("the replay was recognised and never reached the decider");
    }

    [Fact]
    public async Task Pruning_RemovesOnlyRowsPastTheWindow_AndKeepsClicksNotYetApplied()
    {
        var now = TimeProvider.System.GetUtcNow();
        var old = StoreTime.ToMicroseconds(now - TimeSpan.FromHours(25));
        var recent = StoreTime.ToMicroseconds(now - TimeSpan.FromHours(23));
        await ExecuteAsync(Host, $"""
            INSERT INTO inbound_events (source, event_id, received_at, payload, handled_at) VALUES
                ('slack', 'old-event', {old}, NULL, NULL),
                ('slack_click', 'old-handled', {old}, '[]', {old}),
                ('slack_click', 'old-unapplied', {old}, '[]', NULL),
                ('slack', 'recent-event', {recent}, NULL, NULL),
                ('slack_click', 'recent-handled', {recent}, '[]', {recent});
            """);

        var pruned = await Host.Services.GetRequiredService<InboundEventPruning>().SweepAsync(CancellationToken.None);

        pruned.ShouldBe(2);
        (await EventIdsAsync(Host)).ShouldBe(["old-unapplied", "recent-event", "recent-handled"], ignoreOrder: true);
    }

    /// <summary>A host that dies right after acknowledging a click: the click's job never reaches the queue.</summary>
    private static void DropClickJobs(IServiceCollection services) =>
        DroppedJobs.Install(services, job => job.Type == typeof(SlackApprovalJob) && job.Method.Name.StartsWith("Handle", StringComparison.Ordinal));

    private Task<(string RunId, string ApprovalId)> ParkAsync(SlackHostFactory host) => RunsApi.ParkAsync(host, Model);

    private static async Task<long> PendingClicksAsync(SlackHostFactory host) =>
        (await host.Services.GetRequiredService<InboundEventLog>().UnhandledAsync(SlackClick.Source, TimeProvider.System.GetUtcNow(), CancellationToken.None)).Count;

    private static async Task<List<string>> EventIdsAsync(SlackHostFactory host) =>
        [.. await host.Services.GetRequiredService<StoreDatabase>().QueryAsync<string>("SELECT event_id FROM inbound_events", null, CancellationToken.None)];

    private static Task<int> ExecuteAsync(SlackHostFactory host, string sql) =>
        host.Services.GetRequiredService<StoreDatabase>().ExecuteAsync(sql, null, CancellationToken.None);
}
