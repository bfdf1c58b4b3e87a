using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// A SIEM's webhook on loopback (Kestrel), written from docs/siem.md and not from the host's code: it
/// recomputes HMAC-SHA256(secret, "v1:" + t + ":" + body) over the raw body, compares in constant time,
/// answers 401 to a bad or missing signature and keeps what it accepted. A test may make it fail on purpose.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly byte[] _secret;
    private readonly ConcurrentQueue<ReceivedEvent> _accepted = new();
    private int _rejected;
    private int _requests;

    private WebhookReceiver(WebApplication app, string secret)
    {
        _app = app;
        _secret = Encoding.UTF8.GetBytes(secret);
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyCollection<ReceivedEvent> Accepted => _accepted;

    /// <summary>Requests answered 401 for their signature.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Answers this status (before looking at the request) while set: a receiver that is down or overloaded.</summary>
    public int? FailWith { get; set; }

    /// <summary>Never answers while set (a receiver that accepted the connection and hangs).</summary>
    public bool Hang { get; set; }

    public static async Task<WebhookReceiver> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secret);
        app.MapPost("/siem", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/siem?tenant=t-0123456789abcdef");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _requests);
        if (Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up on us.
            }

            return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
        }

        if (FailWith is { } status)
        {
            return Results.StatusCode(status);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        if (!Verified(request.Headers["X-AgentHost-Signature"].ToString(), bytes))
        {
            Interlocked.Increment(ref _rejected);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (request.ContentType != "application/x-ndjson")
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            _accepted.Enqueue(ReceivedEvent.Parse(line));
        }

        return Results.Ok();
    }

    private bool Verified(string header, byte[] body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        byte[] signed = [.. Encoding.ASCII.GetBytes($"v1:{t}:"), .. body];
        var expected = HMACSHA256.HashData(_secret, signed);
        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
