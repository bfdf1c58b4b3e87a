using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Content;
using Microsoft.Extensions.Options;

namespace AgentHost.Audit.Retention;

/// <summary>Runs the content retention sweep every Audit:Retention:SweepInterval when any kind has a retention.</summary>
public sealed partial class ContentRetentionService(ContentRetention retention, IOptions<AuditOptions> options, TimeProvider time, ILogger<ContentRetentionService> logger) : BackgroundService
{
    /// <summary>One sweep at the host's time; returns the pieces removed.</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken) => retention.SweepAsync(options.Value.Retention, time.GetUtcNow(), cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Retention;
        if (Enum.GetValues<AuditContentKind>().All(kind => settings.For(kind) is null))
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.SweepInterval, time);
        do
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0)
                {
                    LogRemoved(logger, removed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} pieces of conversation content past their retention (each listed in a content.removed event)")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The content retention sweep failed; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
