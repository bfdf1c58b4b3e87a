using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Plugins.Slack.Api;

/// <summary>
/// Slack's Web API over HTTPS with the bot token as Bearer. Methods that write take a JSON body; methods
/// that read take form fields, as Slack's documentation requires. A 429 is retried after Retry-After, a
/// bounded number of times; other failures are not retried, so a write is never sent twice.
/// </summary>
public sealed partial class SlackWebApiClient(HttpClient http, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWebApiClient> logger) : ISlackClient
{
    private readonly SlackOptions _options = options.Value;

    public async Task<SlackPosted> PostMessageAsync(SlackMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var response = await WriteAsync("chat.postMessage", MessageBody(message), cancellationToken);
        return new SlackPosted(response["channel"]?.GetValue<string>() ?? message.Channel, response["ts"]!.GetValue<string>());
    }

    public async Task UpdateMessageAsync(SlackMessage message, string ts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = MessageBody(message);
        body["ts"] = ts;
        body.Remove("thread_ts");
        await WriteAsync("chat.update", body, cancellationToken);
    }

    public Task PostEphemeralAsync(string channel, string user, string text, CancellationToken cancellationToken) =>
        WriteAsync("chat.postEphemeral", new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text }, cancellationToken);

    public async Task<SlackHistoryPage> HistoryAsync(string channel, int limit, string? cursor, CancellationToken cancellationToken) =>
        Page(await ReadAsync("conversations.history", [new("channel", channel), new("limit", Limit(limit)), new("cursor", cursor)], cancellationToken));

    public async Task<SlackHistoryPage> RepliesAsync(string channel, string ts, int limit, string? cursor, CancellationToken cancellationToken) =>
        Page(await ReadAsync("conversations.replies", [new("channel", channel), new("ts", ts), new("limit", Limit(limit)), new("cursor", cursor)], cancellationToken));

    public Task AddReactionAsync(string channel, string timestamp, string name, CancellationToken cancellationToken) =>
        WriteAsync("reactions.add", new JsonObject { ["channel"] = channel, ["timestamp"] = timestamp, ["name"] = name.Trim(':') }, cancellationToken);

    public async Task<SlackUser> UserInfoAsync(string user, CancellationToken cancellationToken) =>
        User((await ReadAsync("users.info", [new("user", user)], cancellationToken))["user"]!);

    public async Task<SlackUser> LookupUserByEmailAsync(string email, CancellationToken cancellationToken) =>
        User((await ReadAsync("users.lookupByEmail", [new("email", email)], cancellationToken))["user"]!);

    public async Task<SlackMembersPage> MembersAsync(string channel, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var response = await ReadAsync("conversations.members", [new("channel", channel), new("limit", Limit(limit)), new("cursor", cursor)], cancellationToken);
        var members = (response["members"] as JsonArray ?? []).Select(m => m?.GetValue<string>()).OfType<string>().ToList();
        var next = response["response_metadata"]?["next_cursor"]?.GetValue<string>();
        return new SlackMembersPage(members, string.IsNullOrEmpty(next) ? null : next);
    }

    public async Task<SlackIdentity> AuthTestAsync(CancellationToken cancellationToken)
    {
        var response = await ReadAsync("auth.test", [], cancellationToken);
        return new SlackIdentity(Text(response, "user_id")!, Text(response, "team_id")!, Text(response, "bot_id"), Text(response, "url") ?? string.Empty);
    }

    public async Task<SlackChannelsPage> ChannelsAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var response = await ReadAsync("conversations.list", [new("types", "public_channel,private_channel"), new("exclude_archived", "true"), new("limit", Limit(limit)), new("cursor", cursor)], cancellationToken);
        var channels = (response["channels"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(c => Text(c, "id") is not null && Text(c, "name") is not null)
            .Select(c => new SlackChannel(Text(c, "id")!, Text(c, "name")!, c["is_private"] is JsonValue p && p.TryGetValue<bool>(out var isPrivate) && isPrivate))
            .ToList();
        var next = response["response_metadata"]?["next_cursor"]?.GetValue<string>();
        return new SlackChannelsPage(channels, string.IsNullOrEmpty(next) ? null : next);
    }

    public async Task<SlackView> OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var response = await WriteAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view.DeepClone() }, cancellationToken);
        return response["view"] is JsonObject opened && Text(opened, "id") is { } id
            ? new SlackView(id, Text(opened, "hash"))
            : throw new SlackApiException("views.open", "invalid_response");
    }

    private static JsonObject MessageBody(SlackMessage message)
    {
        var body = new JsonObject { ["channel"] = message.Channel, ["text"] = message.Text };
        if (message.Blocks is not null)
        {
            body["blocks"] = message.Blocks.DeepClone();
        }

        if (message.ThreadTs is not null)
        {
            body["thread_ts"] = message.ThreadTs;
        }

        return body;
    }

    private Task<JsonObject> WriteAsync(string method, JsonObject body, CancellationToken cancellationToken) =>
        CallAsync(method, () => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);

    private Task<JsonObject> ReadAsync(string method, KeyValuePair<string, string?>[] fields, CancellationToken cancellationToken) =>
        CallAsync(method, () => new FormUrlEncodedContent(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!))), cancellationToken);

    private async Task<JsonObject> CallAsync(string method, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.ApiBaseUrl, method)) { Content = content() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BotToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, timeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SlackApiException(method, "timeout", ex);
            }
            catch (HttpRequestException ex)
            {
                throw new SlackApiException(method, "unreachable", ex);
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    if (attempt >= _options.MaxRetries || wait > TimeSpan.FromSeconds(_options.MaxRetryAfterSeconds))
                    {
                        throw new SlackApiException(method, "ratelimited");
                    }

                    LogRateLimited(method, wait.TotalSeconds, attempt + 1);
                    await Task.Delay(wait, time, cancellationToken);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new SlackApiException(method, "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                }

                JsonObject? body;
                try
                {
                    body = JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token)) as JsonObject;
                }
                catch (JsonException ex)
                {
                    throw new SlackApiException(method, "invalid_response", ex);
                }

                if (body is null)
                {
                    throw new SlackApiException(method, "invalid_response");
                }

                if (body["ok"]?.GetValue<bool>() != true)
                {
                    throw new SlackApiException(method, Text(body, "error") ?? "unknown_error");
                }

                return body;
            }
        }
    }

    private static string Limit(int limit) => Math.Clamp(limit, 1, 1000).ToString(CultureInfo.InvariantCulture);

    private static SlackHistoryPage Page(JsonObject response)
    {
        var messages = (response["messages"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(m => new SlackHistoryMessage(Text(m, "ts") ?? string.Empty, Text(m, "user"), Text(m, "bot_id"), Text(m, "text") ?? string.Empty, Text(m, "thread_ts")))
            .ToList();
        var cursor = response["response_metadata"]?["next_cursor"]?.GetValue<string>();
        return new SlackHistoryPage(messages, string.IsNullOrEmpty(cursor) ? null : cursor);
    }

    private static SlackUser User(JsonNode user) => new(
        user["id"]!.GetValue<string>(),
        user["name"]?.GetValue<string>() ?? string.Empty,
        user["real_name"]?.GetValue<string>(),
        user["profile"]?["email"]?.GetValue<string>(),
        user["is_bot"]?.GetValue<bool>() ?? false,
        user["deleted"]?.GetValue<bool>() ?? false);

    private static string? Text(JsonObject node, string name) => node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack rate-limited {Method}; retrying in {Seconds} s (attempt {Attempt})")]
    private partial void LogRateLimited(string method, double seconds, int attempt);
}
