using System.Collections.Concurrent;
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
/// An OpenAI-compatible chat completions server on loopback (POST /v1/chat/completions), following the
/// public API contract: Bearer key or 401, a model and a messages array or 400, errors in OpenAI's
/// {"error": {...}} shape, 429 with Retry-After. Replies come from a script the test writes; every request
/// body is kept so tests can assert what the model was (and was not) shown.
/// </summary>
public sealed class ModelEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ModelReply> _script = new();
    private readonly ConcurrentQueue<JsonObject> _requests = new();

    private ModelEmulator(WebApplication app, string apiKey)
    {
        _app = app;
        ApiKey = apiKey;
    }

    public string ApiKey { get; }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<JsonObject> Requests => _requests;

    /// <summary>Answers from the request itself instead of the script: for many runs at once, whose turns interleave.</summary>
    public Func<JsonObject, ModelReply>? Respond { get; set; }

    /// <summary>Awaited before each answer: a test holds requests to see how many arrive at once.</summary>
    public Func<Task>? BeforeAnswer { get; set; }

    public static async Task<ModelEmulator> StartAsync(string apiKey = "sk-emulator-key-0123456789abcdef")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new ModelEmulator(app, apiKey);
        app.MapPost("/v1/chat/completions", (Delegate)emulator.CompleteAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Endpoint = new Uri(address + "/v1/");
        return emulator;
    }

    public void Enqueue(params ModelReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> CompleteAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
        {
            return Error(HttpStatusCode.Unauthorized, "invalid_api_key", "Incorrect API key provided.");
        }

        JsonObject? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body);
        }
        catch (JsonException)
        {
            return Error(HttpStatusCode.BadRequest, "invalid_request_error", "We could not parse the JSON body of your request.");
        }

        if (body is null || body["model"] is not JsonValue || body["messages"] is not JsonArray { Count: > 0 })
        {
            return Error(HttpStatusCode.BadRequest, "invalid_request_error", "'model' and a non-empty 'messages' array are required.");
        }

        // OpenAI refuses tool names outside ^[a-zA-Z0-9_-]{1,64}$ ("slack.post_message" would be refused).
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = tool["function"]?["name"]?.GetValue<string>() ?? string.Empty;
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-zA-Z0-9_-]{1,64}$"))
            {
                return Error(HttpStatusCode.BadRequest, "invalid_request_error", $"Invalid 'tools[].function.name': '{name}'.");
            }
        }

        if (ToolMessagesError(body["messages"]!.AsArray()) is { } invalid)
        {
            return Error(HttpStatusCode.BadRequest, "invalid_request_error", invalid);
        }

        _requests.Enqueue(body);
        if (BeforeAnswer is { } hold)
        {
            await hold();
        }

        if (Respond?.Invoke(body) is not { } reply && !_script.TryDequeue(out reply))
        {
            return Error(HttpStatusCode.InternalServerError, "server_error", "the test scripted no more replies");
        }

        switch (reply)
        {
            case ModelReply.RateLimited limited:
                context.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Error(HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "Rate limit reached.");
            case ModelReply.Failure failure:
                return Error((HttpStatusCode)failure.Status, "server_error", "The server had an error while processing your request.");
            case ModelReply.Raw raw:
                return Results.Text(raw.Body, "application/json");
        }

        var message = new JsonObject { ["role"] = "assistant", ["content"] = (reply as ModelReply.Text)?.Content };
        if (reply is ModelReply.ToolCalls calls)
        {
            message["tool_calls"] = new JsonArray([.. calls.Calls.Select((c, i) => (JsonNode)new JsonObject
            {
                ["id"] = c.Id ?? $"call_{_requests.Count}_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.ArgumentsJson },
            })]);
        }

        return Results.Json(new JsonObject
        {
            ["id"] = $"chatcmpl-{_requests.Count}",
            ["object"] = "chat.completion",
            ["created"] = 1_764_000_000,
            ["model"] = body["model"]!.GetValue<string>(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = reply is ModelReply.ToolCalls ? "tool_calls" : "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = reply.PromptTokens, ["completion_tokens"] = reply.CompletionTokens, ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens },
        });
    }

    /// <summary>
    /// OpenAI's rule for tool messages: an assistant message with tool_calls is followed by one tool message
    /// per call id, and a tool message answers a call of the assistant message before it (400 otherwise).
    /// </summary>
    private static string? ToolMessagesError(JsonArray messages)
    {
        var open = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i]?["role"]?.GetValue<string>();
            if (role == "tool")
            {
                var answered = messages[i]!["tool_call_id"]?.GetValue<string>();
                if (answered is null || !open.Remove(answered))
                {
                    return $"Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls' (messages[{i}].tool_call_id '{answered}').";
                }

                continue;
            }

            if (open.Count > 0)
            {
                return $"An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: {string.Join(", ", open)}";
            }

            if (role == "assistant" && messages[i]!["tool_calls"] is JsonArray calls)
            {
                open = [.. calls.Select(c => c?["id"]?.GetValue<string>() ?? string.Empty)];
            }
        }

        return open.Count > 0 ? $"An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: {string.Join(", ", open)}" : null;
    }

    private static IResult Error(HttpStatusCode status, string type, string message) =>
        Results.Json(new { error = new { message, type, param = (string?)null, code = type } }, statusCode: (int)status);
}
