using System.Text.Json.Nodes;
using AgentHost.Core.Approvals;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Plugins.Slack.Approvals;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentHost.Tests.Slack;

/// <summary>views.open through our client against the emulator: the reject form is a valid modal, and Slack's trigger rules hold.</summary>
public sealed class SlackViewsTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync("C0OPS");
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task TheRejectForm_Opens_OncePerTrigger()
    {
        var trigger = _slack.IssueTrigger("U0BOB0001");

        var view = await Client().OpenViewAsync(trigger, Form(), CancellationToken.None);
        var again = await Should.ThrowAsync<SlackApiException>(() => Client().OpenViewAsync(trigger, Form(), CancellationToken.None));

        view.Id.ShouldStartWith("V");
        _slack.OpenedViews.ShouldHaveSingleItem().View["private_metadata"]!.GetValue<string>().ShouldBe("ap_0123456789abcdef");
        again.Error.ShouldBe("exchanged_trigger_id");
    }

    [Fact]
    public async Task ATriggerMustBeGiven_Known_AndFresh_AndTheTokenRight()
    {
        var stale = _slack.IssueTrigger("U0BOB0001");
        _slack.TriggerClock.Advance(TimeSpan.FromSeconds(3.5));
        var fresh = _slack.IssueTrigger("U0BOB0001");

        (await Should.ThrowAsync<SlackApiException>(() => Client().OpenViewAsync("", Form(), CancellationToken.None))).Error.ShouldBe("invalid_arguments");
        (await Should.ThrowAsync<SlackApiException>(() => Client().OpenViewAsync("12345.98765.made-up", Form(), CancellationToken.None))).Error.ShouldBe("invalid_trigger_id");
        (await Should.ThrowAsync<SlackApiException>(() => Client().OpenViewAsync(stale, Form(), CancellationToken.None))).Error.ShouldBe("expired_trigger_id");
        (await Should.ThrowAsync<SlackApiException>(() => Client(token: "xoxb-wrong").OpenViewAsync(fresh, Form(), CancellationToken.None))).Error.ShouldBe("invalid_auth");
        var tooLong = Form();
        tooLong["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Reject this request, please, now" };
        (await Should.ThrowAsync<SlackApiException>(() => Client().OpenViewAsync(fresh, tooLong, CancellationToken.None))).Error.ShouldBe("invalid_arguments");
        _slack.OpenedViews.ShouldBeEmpty();
        (await Client().OpenViewAsync(fresh, Form(), CancellationToken.None)).Id.ShouldStartWith("V", customMessage: "a refused call does not use the trigger up");
    }

    private static JsonObject Form() => RejectModal.Build(
        new Approval("ap_0123456789abcdef", "run_42", "agent_1", "alice@example.com", "call_1", "email.send", "{}", ["r"], "team-leads", 1, ApprovalStatus.Pending, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), false, []),
        "Ops <helper>");

    private SlackWebApiClient Client(string token = SlackEmulator.BotToken) =>
        new(_http, Options.Create(new SlackOptions { BotToken = token, ApiBaseUrl = _slack.ApiBaseUrl }), TimeProvider.System, NullLogger<SlackWebApiClient>.Instance);
}
