using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Tests.Emulators;

/// <summary>
/// Slack's Web API on loopback (POST /api/{method}), following the public contract: Bearer bot token or
/// not_authed / invalid_auth, required arguments per method, Slack's {"ok": false, "error"} answers, JSON
/// bodies only for methods that write (reads take form fields, as on Slack), Block Kit limits, and 429
/// with Retry-After on demand. Every accepted call is recorded, so tests assert what people would see.
/// </summary>
public sealed partial class SlackEmulator : IAsyncDisposable
{
    public const string BotToken = "xoxb-emulator-0123456789-abcdefABCDEF";
    public const string BotUserId = "U0AGENTBOT";

    private static readonly HashSet<string> Methods = ["chat.postMessage", "chat.update", "chat.postEphemeral", "conversations.history", "conversations.replies", "reactions.add", "users.info", "users.lookupByEmail", "conversations.members", "auth.test"];
    // Reads of the workspace's directory (the agent form's channel picker), kept apart from the methods above.
    private static readonly HashSet<string> DirectoryMethods = ["conversations.list"];
    private static readonly HashSet<string> JsonMethods = ["chat.postMessage", "chat.update", "chat.postEphemeral", "reactions.add"];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _rateLimited = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<JsonObject>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Name, string Email)> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _private = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _archived = new(StringComparer.Ordinal);
    private long _clock = 1_764_000_000;

    private SlackEmulator(WebApplication app) => _app = app;

    public Uri ApiBaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<SlackCall> Calls => _calls;

    public int RetryAfterSeconds { get; set; } = 1;

    public static async Task<SlackEmulator> StartAsync(params string[] channels)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new SlackEmulator(app);
        foreach (var channel in channels)
        {
            emulator._channels[channel] = [];
        }

        app.MapPost("/api/{method}", (Delegate)emulator.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.ApiBaseUrl = new Uri(address + "/api/");
        return emulator;
    }

    public void AddUser(string id, string name, string email)
    {
        lock (_gate)
        {
            _users[id] = (name, email);
        }
    }

    /// <summary>
    /// A private channel: as on Slack, a token whose bot is not among <paramref name="members"/> cannot see it
    /// at all (channel_not_found), not even its member list.
    /// </summary>
    public void AddPrivateChannel(string channel, params string[] members)
    {
        lock (_gate)
        {
            _channels.TryAdd(channel, []);
            _private.Add(channel);
            _members[channel] = new HashSet<string>(members, StringComparer.Ordinal);
        }
    }

    /// <summary>Makes a user a member of a known channel (conversations.members lists them).</summary>
    public void Join(string channel, string user)
    {
        lock (_gate)
        {
            _channels.TryAdd(channel, []);
            if (!_members.TryGetValue(channel, out var members))
            {
                _members[channel] = members = new HashSet<string>(StringComparer.Ordinal);
            }

            members.Add(user);
        }
    }

    public void Leave(string channel, string user)
    {
        lock (_gate)
        {
            _members.GetValueOrDefault(channel)?.Remove(user);
        }
    }

    /// <summary>A message someone else wrote, for the agent to read; with <paramref name="threadTs"/>, a reply in that thread.</summary>
    public string Seed(string channel, string user, string text, string? threadTs = null)
    {
        lock (_gate)
        {
            var ts = NextTs();
            if (channel.StartsWith('D'))
            {
                _channels.TryAdd(channel, []);
            }

            var message = new JsonObject { ["type"] = "message", ["user"] = user, ["text"] = text, ["ts"] = ts };
            if (threadTs is not null)
            {
                message["thread_ts"] = threadTs;
            }

            _channels[channel].Insert(0, message);
            return ts;
        }
    }

    /// <summary>Gives a known channel its name (as conversations.list shows it, lower-case, without '#').</summary>
    public void NameChannel(string channel, string name)
    {
        lock (_gate)
        {
            _channels.TryAdd(channel, []);
            _names[channel] = name;
        }
    }

    /// <summary>Archives a channel: conversations.list leaves it out when asked to exclude_archived.</summary>
    public void Archive(string channel)
    {
        lock (_gate)
        {
            _archived.Add(channel);
        }
    }

    /// <summary>The next <paramref name="times"/> calls of a method are answered 429 with Retry-After.</summary>
    public void RateLimit(string method, int times) => _rateLimited[method] = times;

    public IReadOnlyList<SlackCall> CallsOf(string method) => _calls.Where(c => c.Method == method).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(string method, HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            return Results.Json(Fail("not_authed"));
        }

        if (authorization != $"Bearer {BotToken}")
        {
            return Results.Json(Fail("invalid_auth"));
        }

        if (_rateLimited.TryGetValue(method, out var left) && left > 0 && _rateLimited.TryUpdate(method, left - 1, left))
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new { ok = false, error = "ratelimited" }, statusCode: (int)HttpStatusCode.TooManyRequests);
        }

        if (method == "views.open")
        {
            return Results.Json(await OpenViewAsync(context.Request));
        }

        var args = await ArgumentsAsync(method, context.Request);
        if (args is null)
        {
            return Results.Json(Fail("invalid_json"));
        }

        if (!Methods.Contains(method) && !DirectoryMethods.Contains(method))
        {
            return Results.Json(new { ok = false, error = "unknown_method" }, statusCode: 404);
        }

        JsonObject result;
        lock (_gate)
        {
            result = method switch
            {
                "conversations.list" => ConversationsList(args),
                "chat.postMessage" => PostMessage(args),
                "chat.update" => Update(args),
                "chat.postEphemeral" => PostEphemeral(args),
                "conversations.history" => History(args),
                "conversations.replies" => Replies(args),
                "reactions.add" => AddReaction(args),
                "users.info" => UserInfo(args),
                "users.lookupByEmail" => LookupByEmail(args),
                "conversations.members" => Members(args),
                "auth.test" => Ok(new JsonObject { ["url"] = "https://emulated.slack.test/", ["team"] = "Example", ["user"] = "agenthost", ["team_id"] = "T0EXAMPLE", ["user_id"] = BotUserId, ["bot_id"] = "B0AGENTBOT" }),
                _ => throw new InvalidOperationException(method),
            };
        }

        _calls.Enqueue(new SlackCall(method, args, result));
        return Results.Json(result);
    }

    // Slack reads JSON only where it accepts it, and only with the JSON content type; otherwise form fields.
    private static async Task<JsonObject?> ArgumentsAsync(string method, HttpRequest request)
    {
        var args = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            args[key] = value.ToString();
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            if (!JsonMethods.Contains(method))
            {
                return args;
            }

            try
            {
                return await JsonSerializer.DeserializeAsync<JsonObject>(request.Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                args[key] = value.ToString();
            }
        }

        return args;
    }

    private JsonObject PostMessage(JsonObject args)
    {
        if (Channel(args, out var channel) is { } missing)
        {
            return missing;
        }

        if (Str(args, "text") is null && args["blocks"] is null)
        {
            return Fail("no_text");
        }

        if (BlocksError(args["blocks"]) is { } invalid)
        {
            return Fail("invalid_blocks", invalid);
        }

        var ts = NextTs();
        var message = new JsonObject { ["type"] = "message", ["user"] = BotUserId, ["bot_id"] = "B0AGENTBOT", ["text"] = Str(args, "text") ?? string.Empty, ["ts"] = ts, ["blocks"] = args["blocks"]?.DeepClone() };
        if (Str(args, "thread_ts") is { } thread)
        {
            if (!_channels[channel].Any(m => Str(m, "ts") == thread))
            {
                return Fail("thread_not_found");
            }

            message["thread_ts"] = thread;
        }

        _channels[channel].Insert(0, message);
        return Ok(new JsonObject { ["channel"] = channel, ["ts"] = ts, ["message"] = message.DeepClone() });
    }

    private JsonObject Update(JsonObject args)
    {
        if (Channel(args, out var channel) is { } missing)
        {
            return missing;
        }

        var message = _channels[channel].FirstOrDefault(m => Str(m, "ts") == Str(args, "ts"));
        if (message is null)
        {
            return Fail("message_not_found");
        }

        if (Str(args, "text") is null && args["blocks"] is null)
        {
            return Fail("no_text");
        }

        if (BlocksError(args["blocks"]) is { } invalid)
        {
            return Fail("invalid_blocks", invalid);
        }

        message["text"] = Str(args, "text") ?? message["text"]?.DeepClone();
        message["blocks"] = args["blocks"]?.DeepClone();
        return Ok(new JsonObject { ["channel"] = channel, ["ts"] = Str(args, "ts"), ["text"] = Str(message, "text") });
    }

    private JsonObject PostEphemeral(JsonObject args)
    {
        if (Channel(args, out _) is { } missing)
        {
            return missing;
        }

        if (Str(args, "user") is not { } user || !_users.ContainsKey(user))
        {
            return Fail("user_not_in_channel");
        }

        return Str(args, "text") is null && args["blocks"] is null ? Fail("no_text") : Ok(new JsonObject { ["message_ts"] = NextTs() });
    }

    private JsonObject History(JsonObject args)
    {
        if (Channel(args, out var channel) is { } missing)
        {
            return missing;
        }

        var all = _channels[channel].Where(m => Str(m, "thread_ts") is null || Str(m, "thread_ts") == Str(m, "ts")).ToList();
        return Page(all, args);
    }

    private JsonObject Replies(JsonObject args)
    {
        if (Channel(args, out var channel) is { } missing)
        {
            return missing;
        }

        // ts is required and must be an existing message's: missing or unknown is thread_not_found. The
        // parent comes first, then its replies oldest first.
        if (Str(args, "ts") is not { Length: > 0 } ts)
        {
            return Fail("thread_not_found");
        }

        var thread = _channels[channel].Where(m => Str(m, "ts") == ts || Str(m, "thread_ts") == ts).Reverse().ToList();
        return thread.Count == 0 ? Fail("thread_not_found") : Page(thread, args);
    }

    private static JsonObject Page(List<JsonObject> all, JsonObject args)
    {
        var limit = int.TryParse(Str(args, "limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 999) : 100;
        var start = Str(args, "cursor") is { Length: > 0 } cursor ? int.Parse(cursor.AsSpan("page_".Length), CultureInfo.InvariantCulture) : 0;
        var page = all.Skip(start).Take(limit).Select(m => (JsonNode)m.DeepClone()).ToArray();
        var more = start + limit < all.Count;
        return Ok(new JsonObject
        {
            ["messages"] = new JsonArray(page),
            ["has_more"] = more,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = more ? $"page_{start + limit}" : string.Empty },
        });
    }

    private JsonObject AddReaction(JsonObject args)
    {
        if (Channel(args, out var channel) is { } missing)
        {
            return missing;
        }

        var message = _channels[channel].FirstOrDefault(m => Str(m, "ts") == Str(args, "timestamp"));
        if (message is null)
        {
            return Fail("message_not_found");
        }

        if (Str(args, "name") is not { Length: > 0 } name || name.Contains(':', StringComparison.Ordinal))
        {
            return Fail("invalid_name");
        }

        var reactions = message["reactions"] as JsonArray ?? [];
        if (reactions.Any(r => Str(r!.AsObject(), "name") == name))
        {
            return Fail("already_reacted");
        }

        reactions.Add(new JsonObject { ["name"] = name, ["users"] = new JsonArray(BotUserId), ["count"] = 1 });
        message["reactions"] = reactions;
        return Ok([]);
    }

    private JsonObject UserInfo(JsonObject args) =>
        Str(args, "user") is { } id && _users.TryGetValue(id, out var user) ? Ok(new JsonObject { ["user"] = User(id, user) }) : Fail("user_not_found");

    private JsonObject LookupByEmail(JsonObject args)
    {
        var email = Str(args, "email");
        var found = _users.FirstOrDefault(u => string.Equals(u.Value.Email, email, StringComparison.OrdinalIgnoreCase));
        return found.Key is null ? Fail("users_not_found") : Ok(new JsonObject { ["user"] = User(found.Key, found.Value) });
    }

    // Slack pages members with an opaque cursor; a cursor it did not issue is invalid_cursor.
    private JsonObject Members(JsonObject args)
    {
        var channel = Str(args, "channel") ?? string.Empty;
        if (!_channels.ContainsKey(channel) || !Visible(channel))
        {
            return Fail("channel_not_found");
        }

        var all = (_members.GetValueOrDefault(channel) ?? []).Order(StringComparer.Ordinal).ToList();
        var limit = int.TryParse(Str(args, "limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 100;
        var start = 0;
        if (Str(args, "cursor") is { Length: > 0 } cursor
            && (!cursor.StartsWith("members_", StringComparison.Ordinal) || !int.TryParse(cursor.AsSpan("members_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count))
        {
            return Fail("invalid_cursor");
        }

        var more = start + limit < all.Count;
        return Ok(new JsonObject
        {
            ["members"] = new JsonArray(all.Skip(start).Take(limit).Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = more ? $"members_{start + limit}" : string.Empty },
        });
    }

    // conversations.list: public channels by default; private ones only with types=private_channel and only
    // those the bot is in; DMs are not channels. Paged by an opaque cursor like conversations.members.
    private JsonObject ConversationsList(JsonObject args)
    {
        var types = (Str(args, "types") is { Length: > 0 } t ? t : "public_channel").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (types.Any(x => x is not ("public_channel" or "private_channel" or "mpim" or "im")))
        {
            return Fail("invalid_types");
        }

        var limit = 100;
        if (Str(args, "limit") is { Length: > 0 } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return Fail("invalid_limit");
        }

        var excludeArchived = Str(args, "exclude_archived") is "true" or "1";
        var all = _channels.Keys
            .Where(c => !c.StartsWith('D') && Visible(c))
            .Where(c => _private.Contains(c) ? types.Contains("private_channel") : types.Contains("public_channel"))
            .Where(c => !excludeArchived || !_archived.Contains(c))
            .Order(StringComparer.Ordinal)
            .ToList();
        var start = 0;
        if (Str(args, "cursor") is { Length: > 0 } cursor
            && (!cursor.StartsWith("channels_", StringComparison.Ordinal) || !int.TryParse(cursor.AsSpan("channels_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Count))
        {
            return Fail("invalid_cursor");
        }

        var more = start + limit < all.Count;
        return Ok(new JsonObject
        {
            ["channels"] = new JsonArray([.. all.Skip(start).Take(limit).Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c,
                ["name"] = _names.GetValueOrDefault(c) ?? c.ToLowerInvariant(),
                ["is_channel"] = true,
                ["is_private"] = _private.Contains(c),
                ["is_archived"] = _archived.Contains(c),
                ["is_member"] = _members.GetValueOrDefault(c)?.Contains(BotUserId) ?? false,
                ["num_members"] = _members.GetValueOrDefault(c)?.Count ?? 0,
            })]),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = more ? $"channels_{start + limit}" : string.Empty },
        });
    }

    private bool Visible(string channel) => !_private.Contains(channel) || (_members.GetValueOrDefault(channel)?.Contains(BotUserId) ?? false);

    private static JsonObject User(string id, (string Name, string Email) user) => new()
    {
        ["id"] = id,
        ["name"] = user.Name,
        ["real_name"] = user.Name,
        ["deleted"] = false,
        ["is_bot"] = false,
        ["profile"] = new JsonObject { ["email"] = user.Email, ["real_name"] = user.Name },
    };

    /// <summary>Opens the DM for a user id, like chat.postMessage does on Slack; unknown channels are refused.</summary>
    private JsonObject? Channel(JsonObject args, out string channel)
    {
        channel = Str(args, "channel") ?? string.Empty;
        if (channel.Length == 0)
        {
            return Fail("channel_not_found");
        }

        if (_users.ContainsKey(channel) || channel.StartsWith('D'))
        {
            channel = channel.StartsWith('D') ? channel : "D" + channel[1..];
            _channels.TryAdd(channel, []);
        }

        return _channels.ContainsKey(channel) && Visible(channel) ? null : Fail("channel_not_found");
    }

    // The limits Slack enforces on Block Kit that our messages could plausibly break.
    private static string? BlocksError(JsonNode? blocks)
    {
        if (blocks is null)
        {
            return null;
        }

        if (blocks is not JsonArray array || array.Count > 50)
        {
            return "blocks must be an array of at most 50 blocks";
        }

        foreach (var block in array)
        {
            if (block is not JsonObject obj || Str(obj, "type") is not ("section" or "header" or "actions" or "context" or "divider"))
            {
                return "unknown block type";
            }

            if (obj["text"] is JsonObject text && Str(text, "text") is { } t && t.Length > (Str(obj, "type") == "header" ? 150 : 3000))
            {
                return "text too long";
            }

            foreach (var element in (obj["elements"] ?? obj["fields"]) as JsonArray ?? [])
            {
                if (element is JsonObject e && (Str(e, "text") ?? Str(e["text"] as JsonObject ?? [], "text"))?.Length > 2000)
                {
                    return "element text too long";
                }

                if (element is JsonObject b && Str(b, "type") == "button" && (Str(b, "action_id") is not { Length: > 0 and <= 255 } || Str(b, "value")?.Length > 2000))
                {
                    return "button needs an action_id of at most 255 characters and a value of at most 2000";
                }
            }
        }

        return null;
    }

    private string NextTs() => $"{Interlocked.Increment(ref _clock)}.000100";

    private static string? Str(JsonObject obj, string name) => obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonObject Ok(JsonObject body)
    {
        body["ok"] = true;
        return body;
    }

    private static JsonObject Fail(string error, string? detail = null) =>
        detail is null ? new JsonObject { ["ok"] = false, ["error"] = error } : new JsonObject { ["ok"] = false, ["error"] = error, ["response_metadata"] = new JsonObject { ["messages"] = new JsonArray(detail) } };
}

/// <summary>One Web API call that passed authentication: the arguments as Slack read them, and its answer.</summary>
public sealed record SlackCall(string Method, JsonObject Arguments, JsonObject Response)
{
    public bool Ok => Response["ok"]?.GetValue<bool>() == true;

    /// <summary>Every text a person would read in the call's blocks (and its fallback text), decoded.</summary>
    public string VisibleText => string.Join("\n", Texts(Arguments["blocks"]).Prepend(Arguments["text"]?.GetValue<string>() ?? string.Empty));

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "text" && p.Value is JsonValue v && v.TryGetValue<string>(out var t) ? [t] : Texts(p.Value)),
        JsonArray array => array.SelectMany(Texts),
        _ => [],
    };
}
