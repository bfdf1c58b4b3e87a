using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentHost.Tests.Slack;

/// <summary>conversations.members and users.lookupByEmail through our client against the emulator, as Slack answers them.</summary>
public sealed class SlackMembersTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync("C0OPS");
        _slack.AddUser("U0BOB0001", "bob", "bob@example.com");
        _slack.Join("C0OPS", "U0BOB0001");
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task Members_ArePagedWithACursor_UntilTheLastPage()
    {
        for (var i = 0; i < 5; i++)
        {
            _slack.Join("C0OPS", $"U0X{i}");
        }

        var first = await Client().MembersAsync("C0OPS", 4, null, CancellationToken.None);
        var second = await Client().MembersAsync("C0OPS", 4, first.NextCursor, CancellationToken.None);

        first.Members.Count.ShouldBe(4);
        first.NextCursor.ShouldNotBeNull();
        second.Members.Count.ShouldBe(2);
        second.NextCursor.ShouldBeNull();
        first.Members.Concat(second.Members).ShouldContain("U0BOB0001");
    }

    [Fact]
    public async Task Members_OfAnUnknownOrInvisiblePrivateChannel_IsChannelNotFound_AndAForgedCursorIsInvalid()
    {
        _slack.AddPrivateChannel("C0HR", "U0BOB0001");

        (await Should.ThrowAsync<SlackApiException>(() => Client().MembersAsync("C0NOPE", 100, null, CancellationToken.None))).Error.ShouldBe("channel_not_found");
        (await Should.ThrowAsync<SlackApiException>(() => Client().MembersAsync("C0HR", 100, null, CancellationToken.None))).Error.ShouldBe("channel_not_found");
        (await Should.ThrowAsync<SlackApiException>(() => Client().MembersAsync("C0OPS", 100, "page_9", CancellationToken.None))).Error.ShouldBe("invalid_cursor");
    }

    [Fact]
    public async Task Members_NeedsTheBotToken()
    {
        (await Should.ThrowAsync<SlackApiException>(() => Client("xoxb-wrong").MembersAsync("C0OPS", 100, null, CancellationToken.None))).Error.ShouldBe("invalid_auth");
        using var anonymous = await _http.PostAsync(new Uri(_slack.ApiBaseUrl, "conversations.members"), new FormUrlEncodedContent([new("channel", "C0OPS")]));
        (await anonymous.Content.ReadAsStringAsync()).ShouldContain("\"not_authed\"");
        _slack.CallsOf("conversations.members").ShouldBeEmpty();
    }

    [Fact]
    public async Task Members_RateLimited_WaitsForRetryAfter_ThenSucceeds()
    {
        _slack.RateLimit("conversations.members", times: 1);

        var page = await Client().MembersAsync("C0OPS", 100, null, CancellationToken.None);

        page.Members.ShouldContain("U0BOB0001");
        _slack.CallsOf("conversations.members").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task LookupByEmail_OfSomeoneSlackDoesNotKnow_IsUsersNotFound()
    {
        (await Client().LookupUserByEmailAsync("BOB@example.com", CancellationToken.None)).Id.ShouldBe("U0BOB0001");
        (await Should.ThrowAsync<SlackApiException>(() => Client().LookupUserByEmailAsync("mallory@example.com", CancellationToken.None))).Error.ShouldBe("users_not_found");
    }

    private SlackWebApiClient Client(string token = SlackEmulator.BotToken) =>
        new(_http, Options.Create(new SlackOptions { BotToken = token, ApiBaseUrl = _slack.ApiBaseUrl, MaxRetries = 3, MaxRetryAfterSeconds = 30 }), TimeProvider.System, NullLogger<SlackWebApiClient>.Instance);
}
