using AgentHost.Core.Storage;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Audit;

/// <summary>
/// Fills audit_search_vectors (M025) behind the log: the tsvector of each committed event, in large
/// batches, so the audit insert inside a governed call's durable commit computes nothing. The watermark
/// is the table's highest seq: audit events commit in seq order (the writer's advisory lock), so what the
/// table holds is always every event up to it. Several processes may run this at once: they read the same
/// watermark, compute the same rows, and ON CONFLICT lets the first one's rows stand.
/// </summary>
/// <param name="batchSize">Events per statement; smaller only in tests, to make concurrent batches meet.</param>
public sealed partial class PostgresAuditSearchIndexer(PostgresDatabase database, TimeProvider time, ILogger<PostgresAuditSearchIndexer> logger, int batchSize = PostgresAuditSearchIndexer.BatchSize) : IAuditSearchIndexer
{
    public const int BatchSize = 20_000;

    /// <summary>The highest seq the table holds; events above it are searched by computing the function (AuditFullTextSearch).</summary>
    internal const string Watermark = "SELECT COALESCE(MAX(seq), 0) FROM audit_search_vectors";

    private const string Index = $"""
        INSERT INTO audit_search_vectors (seq, search_vector)
        SELECT seq, audit_search_vector(type, actor, data) FROM audit_events
        WHERE seq > ({Watermark}) ORDER BY seq LIMIT @limit
        ON CONFLICT DO NOTHING
        """;

    public Task RunAsync(Func<long> logSize, CancellationToken cancellationToken) =>
        AuditIndexLoop.RunAsync(IndexBatchAsync, batchSize, logSize, time, ex => LogIndexFailed(logger, ex), cancellationToken);

    /// <summary>Indexes up to a batch of events after the watermark; returns how many this call inserted.</summary>
    public Task<int> IndexBatchAsync(CancellationToken cancellationToken) =>
        database.ExecuteAsync(Index, new { limit = batchSize }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit search indexing failed; searches compute the unindexed tail meanwhile")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception);
}
