using AgentHost.Core.Tools;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Plugins.Slack.Tools;
using AgentHost.Tests.Emulators;
using AgentHost.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Slack;

/// <summary>Our Slack Web API client and the Slack tools, over real HTTP against the emulator.</summary>
public sealed class SlackClientTests : IAsyncLifetime
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
    public async Task BearerToken_IsRequired_AndAWrongOneIsATypedError()
    {
        (await Client().AuthTestAsync(CancellationToken.None)).UserId.ShouldBe(SlackEmulator.BotUserId);

        var refused = await Should.ThrowAsync<SlackApiException>(() => Client(token: "xoxb-wrong").AuthTestAsync(CancellationToken.None));
        refused.Error.ShouldBe("invalid_auth");
        refused.Method.ShouldBe("auth.test");
        refused.Message.ShouldNotContain("xoxb");
    }

    [Fact]
    public async Task SlackErrors_AreTypedErrors()
    {
        (await Should.ThrowAsync<SlackApiException>(() => Client().PostMessageAsync(new SlackMessage("C0NOPE", "hi"), CancellationToken.None))).Error.ShouldBe("channel_not_found");
        (await Should.ThrowAsync<SlackApiException>(() => Client().LookupUserByEmailAsync("nobody@example.com", CancellationToken.None))).Error.ShouldBe("users_not_found");
        (await Should.ThrowAsync<SlackApiException>(() => Client().UpdateMessageAsync(new SlackMessage("C0OPS", "x"), "1.000", CancellationToken.None))).Error.ShouldBe("message_not_found");
        (await Client().LookupUserByEmailAsync("BOB@example.com", CancellationToken.None)).Id.ShouldBe("U0BOB0001");
    }

    [Fact]
    public async Task RateLimited_WaitsForRetryAfter_OnTheClock_ThenSucceeds()
    {
        // Retry-After of 7 s twice: on a real clock this would take 14 s; on the fake one, no time passes.
        _slack.RetryAfterSeconds = 7;
        _slack.RateLimit("chat.postMessage", times: 2);
        var clock = new TimerCountingClock();
        var sends = new SendTimes(clock);
        using var http = new HttpClient(sends);
        var started = clock.GetUtcNow();

        var posting = Client(http: http, time: clock).PostMessageAsync(new SlackMessage("C0OPS", "hello"), CancellationToken.None);
        for (var wait = 1; wait <= 2; wait++)
        {
            await Eventually.TrueAsync(() => clock.Timers == wait, $"the client waits after 429 number {wait}");
            clock.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
            posting.IsCompleted.ShouldBeFalse();
            sends.Times.Count.ShouldBe(wait, "no retry before Retry-After has passed");
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var posted = await posting;

        posted.Channel.ShouldBe("C0OPS");
        _slack.CallsOf("chat.postMessage").ShouldHaveSingleItem();
        sends.Times.Select(t => t - started).ShouldBe([TimeSpan.Zero, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(14)]);
    }

    [Fact]
    public async Task RateLimited_BeyondTheRetries_OrForTooLong_Fails()
    {
        _slack.RateLimit("auth.test", times: 5);
        (await Should.ThrowAsync<SlackApiException>(() => Client(maxRetries: 0).AuthTestAsync(CancellationToken.None))).IsRateLimited.ShouldBeTrue();

        _slack.RetryAfterSeconds = 120;
        _slack.RateLimit("users.info", times: 1);
        (await Should.ThrowAsync<SlackApiException>(() => Client().UserInfoAsync("U0BOB0001", CancellationToken.None))).IsRateLimited.ShouldBeTrue();
    }

    [Fact]
    public async Task ReadChannel_FollowsCursors_AndMarksWhatOthersWroteUntrusted()
    {
        for (var i = 0; i < 250; i++)
        {
            _slack.Seed("C0OPS", "U0BOB0001", $"message {i}");
        }

        var result = await KernelToolExecutor.For(new SlackTools(Client()), SlackPlugin.Descriptor).ExecuteAsync(Call("slack.read_channel", ("channel", "C0OPS"), ("limit", "150")), CancellationToken.None);

        result.Succeeded.ShouldBeTrue();
        result.Untrusted.ShouldBeTrue();
        result.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(150);
        result.Content.ShouldContain("message 249");
        result.Content.ShouldContain("message 100");
        result.Content.ShouldNotContain("message 99\n");
        var pages = _slack.CallsOf("conversations.history");
        pages.Count.ShouldBe(2);
        pages[1].Arguments["cursor"]!.GetValue<string>().ShouldBe("page_100");
    }

    [Fact]
    public async Task Tools_ReportSlackRefusalsAndBadArguments_AsFailedResults()
    {
        var tools = KernelToolExecutor.For(new SlackTools(Client()), SlackPlugin.Descriptor);
        var ts = _slack.Seed("C0OPS", "U0BOB0001", "ship it");

        (await tools.ExecuteAsync(Call("slack.add_reaction", ("channel", "C0OPS"), ("timestamp", ts), ("name", ":white_check_mark:")), CancellationToken.None)).Succeeded.ShouldBeTrue();
        var twice = await tools.ExecuteAsync(Call("slack.add_reaction", ("channel", "C0OPS"), ("timestamp", ts), ("name", "white_check_mark")), CancellationToken.None);
        var noText = await tools.ExecuteAsync(Call("slack.post_message", ("channel", "C0OPS")), CancellationToken.None);
        var badLimit = await tools.ExecuteAsync(Call("slack.read_channel", ("channel", "C0OPS"), ("limit", "5000")), CancellationToken.None);

        twice.Succeeded.ShouldBeFalse();
        twice.Content.ShouldBe("Slack refused reactions.add: already_reacted");
        noText.Content.ShouldBe("text: required");
        badLimit.Content.ShouldContain("limit");
        _slack.CallsOf("chat.postMessage").ShouldBeEmpty();
    }

    [Fact]
    public async Task SlowSlack_TimesOut_AsATypedError()
    {
        await using var silent = await SilentServer.StartAsync();
        var client = new SlackWebApiClient(_http, Options.Create(new SlackOptions { BotToken = SlackEmulator.BotToken, ApiBaseUrl = silent.Url, TimeoutSeconds = 1 }), TimeProvider.System, NullLogger<SlackWebApiClient>.Instance);

        (await Should.ThrowAsync<SlackApiException>(() => client.AuthTestAsync(CancellationToken.None))).Error.ShouldBe("timeout");
    }

    private SlackWebApiClient Client(string token = SlackEmulator.BotToken, int maxRetries = 3, HttpClient? http = null, TimeProvider? time = null) =>
        new(http ?? _http, Options.Create(new SlackOptions { BotToken = token, ApiBaseUrl = _slack.ApiBaseUrl, MaxRetries = maxRetries, MaxRetryAfterSeconds = 30 }), time ?? TimeProvider.System, NullLogger<SlackWebApiClient>.Instance);

    private static ToolInvocation Call(string function, params (string Name, string Value)[] arguments) =>
        new(function, arguments.ToDictionary(a => a.Name, a => (object?)a.Value), "agent_test", "run_test", "call_test");

    /// <summary>A fake clock that counts the timers started on it: a Task.Delay on it is one.</summary>
    private sealed class TimerCountingClock : FakeTimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>When, on the fake clock, each request went out.</summary>
    private sealed class SendTimes(TimeProvider clock) : DelegatingHandler(new HttpClientHandler())
    {
        public System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset> Times { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Times.Enqueue(clock.GetUtcNow());
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Accepts connections and never answers, like an overloaded upstream.</summary>
    private sealed class SilentServer : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener;

        private SilentServer(System.Net.Sockets.TcpListener listener) => _listener = listener;

        public Uri Url => new($"http://127.0.0.1:{((System.Net.IPEndPoint)_listener.LocalEndpoint).Port}/api/");

        public static Task<SilentServer> StartAsync()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new SilentServer(listener));
        }

        public ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
