namespace AgentHost.Core.Audit;

/// <summary>Indexes committed audit events for search behind the log, in the store's own way.</summary>
public interface IAuditSearchIndexer
{
    /// <param name="logSize">The log's size as the writer knows it: while it has not grown, the indexer
    /// asks the store nothing, so an idle host stays quiet.</param>
    Task RunAsync(Func<long> logSize, CancellationToken cancellationToken);

    /// <summary>Indexes up to a batch of events after the watermark; returns how many.</summary>
    Task<int> IndexBatchAsync(CancellationToken cancellationToken);
}
