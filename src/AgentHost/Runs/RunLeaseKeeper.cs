using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>
/// A worker's heartbeat: renews the leases of the runs it executes, a quarter lease apart, and ends the
/// runs of workers whose leases ran out. A worker that dies or loses the database stops renewing; its
/// runs are recovered by any survivor one lease later.
/// </summary>
public sealed partial class RunLeaseKeeper(RunStore runs, InterruptedRuns interrupted, TimeProvider time, ILogger<RunLeaseKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(runs.Lease.Duration / 4, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await runs.RenewLeasesAsync(stoppingToken);
                var recovered = await interrupted.RecoverAsync(soleProcess: false, stoppingToken);
                if (recovered > 0)
                {
                    LogRecovered(logger, recovered);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered {Count} runs whose worker stopped renewing their lease (re-queued, or ended when a call was in flight)")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing run leases failed; the next tick tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
