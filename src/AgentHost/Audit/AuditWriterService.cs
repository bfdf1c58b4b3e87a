using AgentHost.Core.Audit;

namespace AgentHost.Audit;

/// <summary>
/// Runs the audit writer and the search indexer of its store for the host's lifetime; stopping writes a
/// last checkpoint.
/// </summary>
public sealed class AuditWriterService(AuditLogWriter writer, IAuditSearchIndexer? indexer = null) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _indexing;
    private int _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await writer.StartAsync(cancellationToken);
        _indexing = indexer is null ? null : Task.Run(() => indexer.RunAsync(() => writer.Head.Size, _stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The container may dispose this service before the host stops it (a host torn down early).
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stopping.CancelAsync();
        }

        if (_indexing is not null)
        {
            await _indexing;
        }

        await writer.StopAsync();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }
}
