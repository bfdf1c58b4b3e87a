using AgentHost.Core.Storage;
using Dapper;

namespace AgentHost.Core.Audit.Content;

/// <summary>
/// audit_content: written only in the same transaction as the event that names it (<see cref="Write"/>
/// chained to the append), read by hash, and emptied only by retention (<see cref="ContentRetention"/>).
/// </summary>
public sealed class AuditContentStore(StoreDatabase database)
{
    internal const string SelectRows = "SELECT sha256, kind, bytes, original_bytes, body, stored_at, removed_at FROM audit_content";

    /// <summary>
    /// Stores the pieces once each. Content seen again is stored again only if retention had emptied it
    /// (the same bytes by construction of the key); either way its age restarts, so retention counts from
    /// the last event that named it.
    /// </summary>
    public static StoreWrite? Write(IReadOnlyCollection<AuditContent> pieces, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var distinct = pieces.DistinctBy(p => p.Sha256).ToList();
        if (distinct.Count == 0)
        {
            return null;
        }

        var parameters = new DynamicParameters();
        parameters.Add("now", StoreTime.ToMicroseconds(now));
        var rows = new List<string>(distinct.Count);
        for (var i = 0; i < distinct.Count; i++)
        {
            var piece = distinct[i];
            parameters.Add($"h{i}", piece.Sha256);
            parameters.Add($"k{i}", piece.Kind.ToText());
            parameters.Add($"b{i}", piece.Bytes);
            parameters.Add($"o{i}", piece.OriginalBytes);
            parameters.Add($"d{i}", piece.Body);
            rows.Add($"(@h{i}, @k{i}, @b{i}, @o{i}, @d{i}, @now, NULL)");
        }

        return new StoreWrite(
            "INSERT INTO audit_content (sha256, kind, bytes, original_bytes, body, stored_at, removed_at) VALUES "
            + string.Join(", ", rows)
            + " ON CONFLICT (sha256) DO UPDATE SET stored_at = excluded.stored_at, body = COALESCE(audit_content.body, excluded.body), removed_at = CASE WHEN audit_content.body IS NULL THEN NULL ELSE audit_content.removed_at END",
            parameters);
    }

    /// <summary>The stored pieces among <paramref name="hashes"/>; a hash the store does not hold is absent.</summary>
    public async Task<IReadOnlyDictionary<string, StoredContent>> ReadAsync(IEnumerable<string> hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var result = new Dictionary<string, StoredContent>(StringComparer.Ordinal);
        foreach (var chunk in hashes.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var parameters = new DynamicParameters();
            var list = StoreDatabase.InList(parameters, "h", chunk);
            foreach (var row in await database.QueryAsync<StoredContentRow>(
                $"{SelectRows} WHERE sha256 IN {list}", parameters, cancellationToken))
            {
                result[row.Sha256] = row.ToStored();
            }
        }

        return result;
    }

    /// <summary>Every row in key order, for verification (bodies are read one row at a time).</summary>
    public async IAsyncEnumerable<StoredContent> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string after = "";
        while (true)
        {
            var page = await database.QueryAsync<StoredContentRow>(
                SelectRows + " WHERE sha256 > @after ORDER BY sha256 LIMIT 500",
                new { after },
                cancellationToken);
            foreach (var row in page)
            {
                yield return row.ToStored();
            }

            if (page.Count < 500)
            {
                yield break;
            }

            after = page[^1].Sha256;
        }
    }

    internal sealed class StoredContentRow
    {
        public string Sha256 { get; init; } = "";

        public string Kind { get; init; } = "";

        public long Bytes { get; init; }

        public long OriginalBytes { get; init; }

        public byte[]? Body { get; init; }

        public long StoredAt { get; init; }

        public long? RemovedAt { get; init; }

        public StoredContent ToStored() => new(
            Sha256,
            SnakeCase.Parse<AuditContentKind>(Kind),
            Bytes,
            OriginalBytes,
            Body,
            StoreTime.FromMicroseconds(StoredAt),
            RemovedAt is { } removed ? StoreTime.FromMicroseconds(removed) : null);
    }
}
