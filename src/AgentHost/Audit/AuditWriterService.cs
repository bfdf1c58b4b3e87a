using AgentHost.Core.Audit;

namespace AgentHost.Audit;

/// <summary>
/// Runs the audit writer and the search indexer for the host's lifetime; stopping writes a last checkpoint.
/// </summary>
public sealed class AuditWriterService(AuditLogWriter writer, AuditSearchIndexer indexer) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _indexing;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await writer.StartAsync(cancellationToken);
        _indexing = Task.Run(() => indexer.RunAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_indexing is not null)
        {
            await _indexing;
        }

        await writer.StopAsync();
    }

    public void Dispose() => _stopping.Dispose();
}
