using AgentHost.Core.Approvals;

namespace AgentHost.Approvals;

/// <summary>
/// Expires approvals by asking the store when the next one is due and sleeping until then (at most
/// <see cref="MaxSleep"/>). There is no timer or job per approval, so parked runs cost no memory here
/// and a restart has nothing to re-arm; idle, it issues one small indexed query per <see cref="MaxSleep"/>.
/// A vote after the deadline is refused by the store whether or not the sweep has run.
/// </summary>
public sealed partial class ApprovalExpirySweeper(ApprovalStore approvals, ApprovalExpiry expiry, TimeProvider time, ILogger<ApprovalExpirySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                sleep = await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
                sleep = MaxSleep;
            }

            if (sleep > TimeSpan.Zero)
            {
                await Task.Delay(sleep, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Expires what is due and says how long until the next deadline.</summary>
    internal async Task<TimeSpan> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = await approvals.NextExpiryAsync(cancellationToken);
        if (next is null || next > now)
        {
            return next is null ? MaxSleep : TimeSpan.FromTicks(Math.Min((next.Value - now).Ticks, MaxSleep.Ticks));
        }

        var due = await approvals.DueAsync(now, Batch, cancellationToken);
        foreach (var id in due)
        {
            await expiry.ExpireAsync(id, cancellationToken);
        }

        return due.Count == Batch ? TimeSpan.Zero : TimeSpan.FromMilliseconds(1);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Approval expiry sweep failed; trying again shortly")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
