using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// An OpenAI-compatible endpoint on loopback that answers at once, or after a fixed delay like a (fast)
/// real model: the first turn of a conversation proposes mail to a partner (which parks for approval, or
/// is denied when the agent has no mail grant), any later turn finishes.
/// </summary>
public sealed class InstantModel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InstantModel(WebApplication app, Uri endpoint, TimeSpan delay)
    {
        _app = app;
        Endpoint = endpoint;
        Delay = delay;
    }

    public Uri Endpoint { get; }

    /// <summary>How long each turn waits before it is answered.</summary>
    public TimeSpan Delay { get; }

    public static Task<InstantModel> StartAsync() => StartAsync(TimeSpan.Zero);

    /// <summary>A model that answers each turn after <paramref name="delay"/> (zero: at once).</summary>
    public static async Task<InstantModel> StartAsync(TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var body = (await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body))!;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            var firstTurn = body["messages"]!.AsArray().All(m => m!["role"]!.GetValue<string>() != "tool");
            var message = firstTurn
                ? new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = null,
                    ["tool_calls"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "call_mail",
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = "email-send", ["arguments"] = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"green\"}" },
                    }),
                }
                : new JsonObject { ["role"] = "assistant", ["content"] = "done" };
            return Results.Json(new JsonObject
            {
                ["id"] = "chatcmpl-bench",
                ["object"] = "chat.completion",
                ["created"] = 1_764_000_000,
                ["model"] = "instant",
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = firstTurn ? "tool_calls" : "stop" }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 50, ["completion_tokens"] = 10, ["total_tokens"] = 60 },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InstantModel(app, new Uri(address + "/v1/"), delay);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
