using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentHost.Tests.Slack;

/// <summary>conversations.list through our client against the emulator: the public contract (auth, types, paging, archived, private).</summary>
public sealed class SlackChannelListTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync("C0A", "C0B", "C0C", "C0OLD");
        _slack.NameChannel("C0A", "alpha");
        _slack.NameChannel("C0B", "beta");
        _slack.NameChannel("C0C", "gamma");
        _slack.NameChannel("C0OLD", "old");
        _slack.Archive("C0OLD");
        _slack.AddPrivateChannel("G0SEEN", SlackEmulator.BotUserId);
        _slack.NameChannel("G0SEEN", "seen-private");
        _slack.AddPrivateChannel("G0HIDDEN", "U0ALICE01");
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task Channels_ArePagedByCursor_WithoutArchivedOnes_AndPrivateOnlyWhenTheBotIsIn()
    {
        var all = new List<SlackChannel>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Client().ChannelsAsync(2, cursor, CancellationToken.None);
            all.AddRange(page.Channels);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        pages.ShouldBe(2);
        all.Select(c => (c.Id, c.Name, c.IsPrivate)).ShouldBe([("C0A", "alpha", false), ("C0B", "beta", false), ("C0C", "gamma", false), ("G0SEEN", "seen-private", true)]);
        _slack.CallsOf("conversations.list").ShouldAllBe(c => c.Arguments["exclude_archived"]!.GetValue<string>() == "true");
    }

    [Fact]
    public async Task AWrongToken_OrAForgedCursor_IsATypedError()
    {
        (await Should.ThrowAsync<SlackApiException>(() => Client(token: "xoxb-wrong").ChannelsAsync(10, null, CancellationToken.None))).Error.ShouldBe("invalid_auth");
        (await Should.ThrowAsync<SlackApiException>(() => Client().ChannelsAsync(10, "channels_999", CancellationToken.None))).Error.ShouldBe("invalid_cursor");
        (await Should.ThrowAsync<SlackApiException>(() => Client().ChannelsAsync(10, "members_1", CancellationToken.None))).Error.ShouldBe("invalid_cursor");
    }

    private SlackWebApiClient Client(string token = SlackEmulator.BotToken) =>
        new(_http, Options.Create(new SlackOptions { BotToken = token, ApiBaseUrl = _slack.ApiBaseUrl }), TimeProvider.System, NullLogger<SlackWebApiClient>.Instance);
}
