using AgentHost.Core.Storage;
using Dapper;

namespace AgentHost.Core.Audit.Content;

/// <summary>
/// Removes conversation content past its kind's retention: the body goes, the row, the leaf and the hash
/// stay, and each batch removed is a content.removed event in the same transaction, naming every hash, so
/// verification tells content removed under retention from content removed by anyone else. Content that
/// an event of a held agent or run names is kept, however old.
/// </summary>
public sealed class ContentRetention(StoreDatabase database, AuditReader reader, AuditContentStore content, LegalHoldStore holds, IAuditLog audit)
{
    public const int BatchSize = 500;

    /// <summary>Removes what is past retention at <paramref name="now"/>; returns how many pieces were removed.</summary>
    public async Task<int> SweepAsync(ContentRetentionOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        HashSet<string>? held = null;
        var removed = 0;
        foreach (var kind in Enum.GetValues<AuditContentKind>())
        {
            if (options.For(kind) is not { } retention)
            {
                continue;
            }

            var cutoff = StoreTime.ToMicroseconds(now - retention);
            (long StoredAt, string Sha256) after = (long.MinValue, "");
            while (true)
            {
                var candidates = await database.QueryAsync<Candidate>(
                    "SELECT sha256, stored_at FROM audit_content WHERE kind = @kind AND body IS NOT NULL AND stored_at < @cutoff "
                    + "AND (stored_at > @afterAt OR (stored_at = @afterAt AND sha256 > @afterHash)) ORDER BY stored_at, sha256 LIMIT " + BatchSize,
                    new { kind = kind.ToText(), cutoff, afterAt = after.StoredAt, afterHash = after.Sha256 },
                    cancellationToken);
                if (candidates.Count == 0)
                {
                    break;
                }

                after = (candidates[^1].StoredAt, candidates[^1].Sha256);
                held ??= await HeldContentAsync(cancellationToken);
                var hashes = candidates.Select(c => c.Sha256).Where(h => !held.Contains(h)).ToList();
                if (hashes.Count > 0)
                {
                    await RemoveAsync(kind, retention, hashes, cutoff, now, cancellationToken);
                    removed += hashes.Count;
                }
            }
        }

        return removed;
    }

    private async Task RemoveAsync(AuditContentKind kind, TimeSpan retention, IReadOnlyList<string> hashes, long cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        parameters.Add("now", StoreTime.ToMicroseconds(now));
        parameters.Add("cutoff", cutoff);
        var list = StoreDatabase.InList(parameters, "h", hashes);

        // stored_at < cutoff again: a piece named by an event since it was picked has restarted its age and stays.
        await audit.AppendAsync(
            [new AuditEntry(AuditEventTypes.ContentRemoved, AuditActor.System, null, null, new()
            {
                ["kind"] = kind.ToText(),
                ["retentionDays"] = retention.TotalDays,
                ["hashes"] = new System.Text.Json.Nodes.JsonArray([.. hashes.Select(h => (System.Text.Json.Nodes.JsonNode)h)]),
            })],
            new StoreWrite($"UPDATE audit_content SET body = NULL, removed_at = @now WHERE sha256 IN {list} AND body IS NOT NULL AND stored_at < @cutoff", parameters),
            cancellationToken);
    }

    /// <summary>Every piece an event of a held agent or run names, with the tool results its messages name.</summary>
    private async Task<HashSet<string>> HeldContentAsync(CancellationToken cancellationToken)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hold in await holds.ListAsync(activeOnly: true, cancellationToken))
        {
            var filter = hold.TargetKind == LegalHoldTarget.Run ? new AuditFilter(RunId: hold.TargetId) : new AuditFilter(AgentId: hold.TargetId);
            await foreach (var e in reader.StreamAsync(filter, null, null, cancellationToken))
            {
                ContentReferences.Collect(e.Data, held);
            }
        }

        var messages = await content.ReadAsync(held, cancellationToken);
        foreach (var message in messages.Values.Where(m => m.Kind == AuditContentKind.Model && !m.Removed))
        {
            ContentReferences.Collect(message.Text()!, held);
        }

        return held;
    }

    private sealed class Candidate
    {
        public string Sha256 { get; init; } = "";

        public long StoredAt { get; init; }
    }
}
