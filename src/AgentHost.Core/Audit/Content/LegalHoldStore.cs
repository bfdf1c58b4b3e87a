using AgentHost.Core.Storage;

namespace AgentHost.Core.Audit.Content;

/// <summary>
/// legal_holds: placing and releasing a hold is written in the same transaction as its audit event, so a
/// hold exists exactly when the trail says it was placed and not released.
/// </summary>
public sealed class LegalHoldStore(StoreDatabase database, IAuditLog audit, TimeProvider time)
{
    private const string Select = "SELECT id, target_kind, target_id, reason, placed_by, placed_at, released_by, released_at FROM legal_holds";

    public async Task<IReadOnlyList<LegalHold>> ListAsync(bool activeOnly, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<LegalHoldRow>(Select + (activeOnly ? " WHERE released_at IS NULL" : "") + " ORDER BY placed_at DESC, id", null, cancellationToken)).Select(r => r.ToHold())];

    public async Task<LegalHold?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await database.QuerySingleOrDefaultAsync<LegalHoldRow>(Select + " WHERE id = @id", new { id }, cancellationToken))?.ToHold();

    /// <summary>Places a hold; an active hold on the same target is returned instead of a second one.</summary>
    public async Task<LegalHold> PlaceAsync(LegalHoldTarget kind, string targetId, string? agentId, string reason, string placedBy, CancellationToken cancellationToken)
    {
        var existing = (await ListAsync(activeOnly: true, cancellationToken)).FirstOrDefault(h => h.TargetKind == kind && h.TargetId == targetId);
        if (existing is not null)
        {
            return existing;
        }

        var hold = new LegalHold($"hold_{Guid.NewGuid():N}", kind, targetId, reason, placedBy, time.GetUtcNow(), null, null);
        await audit.AppendAsync(
            [new AuditEntry(AuditEventTypes.LegalHoldPlaced, AuditActor.Employee(placedBy), agentId, kind == LegalHoldTarget.Run ? targetId : null, new()
            {
                ["holdId"] = hold.Id,
                ["target"] = kind.ToText(),
                ["targetId"] = targetId,
                ["reason"] = reason,
            })],
            new StoreWrite(
                "INSERT INTO legal_holds (id, target_kind, target_id, reason, placed_by, placed_at) VALUES (@Id, @Kind, @TargetId, @Reason, @PlacedBy, @PlacedAt)",
                new { hold.Id, Kind = kind.ToText(), hold.TargetId, hold.Reason, hold.PlacedBy, PlacedAt = StoreTime.ToMicroseconds(hold.PlacedAt) }),
            cancellationToken);
        return hold;
    }

    /// <summary>Releases an active hold; false when there is none by that id (or it was released already).</summary>
    public async Task<bool> ReleaseAsync(string id, string releasedBy, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { Active: true } hold)
        {
            return false;
        }

        await audit.AppendAsync(
            [new AuditEntry(AuditEventTypes.LegalHoldReleased, AuditActor.Employee(releasedBy), null, hold.TargetKind == LegalHoldTarget.Run ? hold.TargetId : null, new()
            {
                ["holdId"] = hold.Id,
                ["target"] = hold.TargetKind.ToText(),
                ["targetId"] = hold.TargetId,
            })],
            new StoreWrite(
                "UPDATE legal_holds SET released_by = @releasedBy, released_at = @now WHERE id = @id AND released_at IS NULL",
                new { id, releasedBy, now = StoreTime.ToMicroseconds(time.GetUtcNow()) }),
            cancellationToken);
        return true;
    }

    private sealed class LegalHoldRow
    {
        public string Id { get; init; } = "";

        public string TargetKind { get; init; } = "";

        public string TargetId { get; init; } = "";

        public string Reason { get; init; } = "";

        public string PlacedBy { get; init; } = "";

        public long PlacedAt { get; init; }

        public string? ReleasedBy { get; init; }

        public long? ReleasedAt { get; init; }

        public LegalHold ToHold() => new(
            Id,
            SnakeCase.Parse<LegalHoldTarget>(TargetKind),
            TargetId,
            Reason,
            PlacedBy,
            StoreTime.FromMicroseconds(PlacedAt),
            ReleasedBy,
            ReleasedAt is { } released ? StoreTime.FromMicroseconds(released) : null);
    }
}
