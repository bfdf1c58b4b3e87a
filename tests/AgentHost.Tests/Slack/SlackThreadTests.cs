using AgentHost.Core.Tools;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Plugins.Slack.Tools;
using AgentHost.Tests.Emulators;
using AgentHost.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentHost.Tests.Slack;

/// <summary>slack.read_thread (conversations.replies), through the real client over HTTP against the emulator.</summary>
public sealed class SlackThreadTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync("C0OPS");
        _slack.AddUser("U0BOB0001", "bob", "bob@example.com");
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task ReadThread_ReturnsTheParentAndItsReplies_FollowingCursors_Untrusted()
    {
        var parent = _slack.Seed("C0OPS", "U0BOB0001", "deploy question");
        _slack.Seed("C0OPS", "U0BOB0001", "not in the thread");
        for (var i = 0; i < 130; i++)
        {
            _slack.Seed("C0OPS", "U0BOB0001", $"reply {i}", threadTs: parent);
        }

        var result = await Tools().ExecuteAsync(Call("slack.read_thread", ("channel", "c0ops"), ("thread_ts", parent), ("limit", "120")), CancellationToken.None);

        result.Succeeded.ShouldBeTrue(result.Content);
        result.Untrusted.ShouldBeTrue();
        var lines = result.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(120);
        lines[0].ShouldEndWith("U0BOB0001: deploy question");
        lines[1].ShouldEndWith("reply 0");
        result.Content.ShouldNotContain("not in the thread");
        var pages = _slack.CallsOf("conversations.replies");
        pages.Count.ShouldBe(2);
        pages[0].Arguments["channel"]!.GetValue<string>().ShouldBe("C0OPS"); // normalised as the gate did
        pages[0].Arguments["ts"]!.GetValue<string>().ShouldBe(parent);
        pages[1].Arguments["cursor"]!.GetValue<string>().ShouldBe("page_100");
    }

    [Fact]
    public async Task ReadThread_ReportsSlackRefusalsAndBadArguments_AsFailedResults()
    {
        var parent = _slack.Seed("C0OPS", "U0BOB0001", "question");
        var tools = Tools();

        var unknownThread = await tools.ExecuteAsync(Call("slack.read_thread", ("channel", "C0OPS"), ("thread_ts", "1.000")), CancellationToken.None);
        var unknownChannel = await tools.ExecuteAsync(Call("slack.read_thread", ("channel", "C0NOPE"), ("thread_ts", parent)), CancellationToken.None);
        var noThread = await tools.ExecuteAsync(Call("slack.read_thread", ("channel", "C0OPS")), CancellationToken.None);
        var badLimit = await tools.ExecuteAsync(Call("slack.read_thread", ("channel", "C0OPS"), ("thread_ts", parent), ("limit", "0")), CancellationToken.None);

        unknownThread.Content.ShouldBe("Slack refused conversations.replies: thread_not_found");
        unknownChannel.Content.ShouldBe("Slack refused conversations.replies: channel_not_found");
        noThread.Content.ShouldBe("thread_ts: required");
        badLimit.Content.ShouldBe($"limit: a whole number from 1 to {SlackTools.MaxReadMessages}");
        new[] { unknownThread, unknownChannel, noThread, badLimit }.ShouldAllBe(r => !r.Succeeded);
        _slack.CallsOf("conversations.replies").Count.ShouldBe(2); // the bad arguments never reached Slack
    }

    [Fact]
    public async Task TheEmulator_RequiresTheBotToken_AndTheTs_LikeSlack()
    {
        var parent = _slack.Seed("C0OPS", "U0BOB0001", "question");
        var wrongToken = new SlackWebApiClient(_http, Options.Create(new SlackOptions { BotToken = "xoxb-wrong", ApiBaseUrl = _slack.ApiBaseUrl }), TimeProvider.System, NullLogger<SlackWebApiClient>.Instance);

        (await Should.ThrowAsync<SlackApiException>(() => wrongToken.RepliesAsync("C0OPS", parent, 10, null, CancellationToken.None))).Error.ShouldBe("invalid_auth");
        (await Should.ThrowAsync<SlackApiException>(() => Client().RepliesAsync("C0OPS", string.Empty, 10, null, CancellationToken.None))).Error.ShouldBe("thread_not_found");
        (await Client().RepliesAsync("C0OPS", parent, 10, null, CancellationToken.None)).Messages.ShouldHaveSingleItem().Text.ShouldBe("question");
    }

    [Fact]
    public void TheCatalog_DeclaresReadThread_AsAnInternalRead_WithTheChannelNormalised()
    {
        var catalog = AgentHost.Tests.Infrastructure.TestCatalog.Standard;

        catalog.TryGet("slack.read_thread", out var tool).ShouldBeTrue();
        tool.Effect.ShouldBe(ToolEffect.Read);
        tool.Reach.ShouldBe(ToolReach.Internal);
        tool.Arguments.ShouldBe(["channel", "thread_ts", "limit"]);
        tool.Sinks.ShouldBeEmpty();
        tool.KindOf("channel").ShouldBe(ArgumentKind.Channel);
        tool.UntrustedResult.ShouldBeTrue();
    }

    private KernelToolExecutor Tools() => KernelToolExecutor.For(new SlackTools(Client()), SlackPlugin.Descriptor);

    private SlackWebApiClient Client() =>
        new(_http, Options.Create(new SlackOptions { BotToken = SlackEmulator.BotToken, ApiBaseUrl = _slack.ApiBaseUrl }), TimeProvider.System, NullLogger<SlackWebApiClient>.Instance);

    private static ToolInvocation Call(string function, params (string Name, string Value)[] arguments) =>
        new(function, arguments.ToDictionary(a => a.Name, a => (object?)a.Value), "agent_test", "run_test", "call_test");
}
