using System.Buffers;
using System.Net.Http.Headers;
using AgentHost.Core.Audit;

namespace AgentHost.Audit.Siem;

/// <summary>
/// POSTs each batch as JSON Lines (application/x-ndjson, one event per line), signed (<see cref="WebhookSignature"/>).
/// Any 2xx acknowledges the whole batch; anything else, or no answer in time, means send it again.
/// </summary>
public sealed class WebhookSender : ISiemSender
{
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");

    private readonly SiemDestinationOptions _destination;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);

    public WebhookSender(SiemDestinationOptions destination, TimeSpan timeout, TimeProvider time, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _destination = destination;
        _time = time;
        _client = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = timeout };
    }

    public async Task SendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        _body.ResetWrittenCount();
        foreach (var e in events)
        {
            SiemEventJson.Write(_body, e);
            _body.Write("\n"u8);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _destination.Url) { Content = new ReadOnlyMemoryContent(_body.WrittenMemory) };
        request.Content.Headers.ContentType = NdJson;
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(_destination.Secret!, _time.GetUtcNow().ToUnixTimeSeconds(), _body.WrittenSpan));
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The status only: a receiver's body could echo what it was sent, and it goes to the audit page.
            throw new HttpRequestException($"the webhook answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }

    public bool ConfirmSent() => true;

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
