using AgentHost.Plugins.Email;
using Microsoft.Extensions.Options;

namespace AgentHost.Email;

/// <summary>
/// Looks for new mail every Email:PollSeconds. Polling rather than IDLE: one IDLE connection per
/// watched folder would outgrow the pool, and the durable cursor, not the connection, is what makes
/// a message run exactly once.
/// </summary>
public sealed partial class EmailArrivalPoller(EmailArrivals arrivals, IOptions<EmailOptions> options, TimeProvider time, ILogger<EmailArrivalPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        do
        {
            try
            {
                await arrivals.PollAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next tick tries again; the cursors hold where each folder got to.
                LogPollFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for new mail failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
