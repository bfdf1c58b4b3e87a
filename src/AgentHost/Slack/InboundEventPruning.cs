using AgentHost.Core.Notifications;
using AgentHost.Plugins.Slack;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Keeps inbound_events to its replay window (InboundEvents:RetentionHours, default a day: Slack retries
/// an event for about an hour, and a request older than the signature's age is refused anyway), and
/// handles clicks and mentions a web process acknowledged but never queued (it died in between), or whose
/// job failed, a minute after them (InboundWork gives one up after Slack:MaxInboundAttempts).
/// </summary>
public sealed partial class InboundEventPruning(InboundEventLog inbound, IBackgroundJobClient jobs, IOptions<SlackOptions> slack, IConfiguration configuration, TimeProvider time, ILogger<InboundEventPruning> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public TimeSpan Retention => TimeSpan.FromHours(configuration.GetValue("InboundEvents:RetentionHours", 24.0));

    /// <summary>One sweep: replays stale unhandled clicks and mentions, then prunes; returns the rows pruned.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (slack.Value.Enabled)
        {
            await SlackReconciliation.ReplayAsync(inbound, jobs, now - Interval, cancellationToken);
        }

        return await inbound.PruneAsync(now - Retention, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var pruned = await SweepAsync(stoppingToken);
                if (pruned > 0)
                {
                    LogPruned(logger, pruned);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} inbound events past their replay window")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping inbound events failed; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
