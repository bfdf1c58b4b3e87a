using AgentHost.Core.Audit;
using AgentHost.Core.Redaction;
using Microsoft.Extensions.Options;

namespace AgentHost.Audit.Siem;

/// <summary>
/// Runs one <see cref="SiemForwarder"/> per configured destination, side by side, in the worker (or the
/// single embedded process). The lease owner names this process, so a restarted process takes its
/// destinations back at once.
/// </summary>
public sealed class SiemStreamService(
    IOptions<SiemStreamOptions> options,
    SiemCursorStore cursors,
    AuditReader reader,
    SecretRedactor redactor,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>This process, as a lease owner: host, process id, and a random part (process ids repeat across restarts and containers).</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";


    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var logger = loggers.CreateLogger<SiemForwarder>();
        var senders = settings.Destinations.Select(Sender).ToList();
        try
        {
            await Task.WhenAll(settings.Destinations.Select((d, i) =>
                new SiemForwarder(d, senders[i], settings, cursors, reader, redactor, time, Owner, logger).RunAsync(stoppingToken)));
        }
        finally
        {
            foreach (var sender in senders)
            {
                await sender.DisposeAsync();
            }
        }
    }

    private ISiemSender Sender(SiemDestinationOptions destination) => destination.Kind == SiemDestinationKind.Webhook
        ? new WebhookSender(destination, options.Value.SendTimeout, time)
        : new SyslogSender(destination, options.Value.SendTimeout);
}
