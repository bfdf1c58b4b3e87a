using AgentHost.Core.Audit;

namespace AgentHost.Auth;

/// <summary>
/// Writes each closed minute of <see cref="RefusedRequests"/> to the audit trail, and whatever is still
/// open when the host stops. Registered after the audit writer, so it stops (and flushes) before it.
/// </summary>
public sealed partial class RefusedRequestsFlusher(RefusedRequests refusals, IAuditLog audit, TimeProvider time, ILogger<RefusedRequestsFlusher> logger) : BackgroundService
{
    /// <summary>Writes the closed buckets (all of them when <paramref name="all"/>); returns how many events.</summary>
    public async Task<int> FlushAsync(bool all, CancellationToken cancellationToken)
    {
        var entries = refusals.TakeClosed(all);
        if (entries.Count > 0)
        {
            await audit.AppendAsync(entries, null, cancellationToken);
        }

        return entries.Count;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(all: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Wake just after each minute closes.
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(now.Ticks - (now.Ticks % RefusedRequests.Window.Ticks), TimeSpan.Zero) + RefusedRequests.Window;
            try
            {
                await Task.Delay(next - now + TimeSpan.FromMilliseconds(50), time, stoppingToken);
                await FlushAsync(all: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The refusals were refused already; a lost count is logged, never retried forever.
                LogFlushFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write refused requests to the audit trail")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
