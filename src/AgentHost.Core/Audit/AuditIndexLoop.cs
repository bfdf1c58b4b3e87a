using System.Data.Common;

namespace AgentHost.Core.Audit;

/// <summary>The loop both stores' indexers run: a batch when the log grew, and never more than a quarter of one core.</summary>
internal static class AuditIndexLoop
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task RunAsync(
        Func<CancellationToken, Task<int>> indexBatch, int batchSize, Func<long> logSize, TimeProvider time, Action<Exception> failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logSize);
        long indexedUpTo = -1;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var started = time.GetTimestamp();
                var size = logSize();
                if (size != indexedUpTo)
                {
                    var indexed = await indexBatch(cancellationToken);
                    indexedUpTo = indexed < batchSize ? size : indexedUpTo;
                }

                // At most a quarter of one core: under a burst the index lags (searches stay correct by
                // scanning the tail) rather than taking CPU from the appenders waiting on the log.
                var worked = time.GetElapsedTime(started);
                await Task.Delay(worked * 3 > Interval ? worked * 3 : Interval, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (DbException ex)
            {
                // Searches stay correct while the index lags (they scan the tail); try again shortly.
                failed(ex);
                await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
