using System.Security.Cryptography;
using System.Text.Json;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using Dapper;

namespace AgentHost.Core.Agents;

/// <summary>
/// Agents in the store; the definition is kept as one JSON document, versioned for optimistic updates.
/// The owner is stored in canonical lower case (<see cref="EmailAddressText"/>), so lookups compare exactly.
/// </summary>
public sealed class AgentStore(StoreDatabase database, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Select = "SELECT id, owner, definition, disabled, created_at, updated_at, version, disabled_by, disabled_at, disabled_reason FROM agents";

    public async Task<Agent> CreateAsync(string owner, AgentDefinition definition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var agent = new Agent(NewId(), EmailAddressText.Canonical(owner), definition, false, now, now, 1);
        await database.ExecuteAsync(
            "INSERT INTO agents (id, owner, definition, disabled, created_at, updated_at, version) VALUES (@id, @owner, @definition, 0, @now, @now, 1)",
            new { id = agent.Id, owner = agent.Owner, definition = JsonSerializer.Serialize(definition, Json), now = StoreTime.ToMicroseconds(now) },
            cancellationToken);
        return agent;
    }

    public async Task<Agent?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await database.QuerySingleOrDefaultAsync<AgentRow>($"{Select} WHERE id = @id", new { id }, cancellationToken))?.ToAgent();

    /// <summary>The agents with these ids that exist, in one query (a report's labels and prices).</summary>
    public async Task<IReadOnlyDictionary<string, Agent>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new Dictionary<string, Agent>(StringComparer.Ordinal);
        }

        var parameters = new DynamicParameters();
        var rows = await database.QueryAsync<AgentRow>($"{Select} WHERE id IN {StoreDatabase.InList(parameters, "id", ids)}", parameters, cancellationToken);
        return rows.Select(r => r.ToAgent()).ToDictionary(a => a.Id, StringComparer.Ordinal);
    }

    /// <summary>Agents of one owner, or every agent when <paramref name="owner"/> is null.</summary>
    public async Task<IReadOnlyList<Agent>> ListAsync(string? owner, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<AgentRow>(
            owner is null ? $"{Select} ORDER BY created_at" : $"{Select} WHERE owner = @owner ORDER BY created_at",
            new { owner = owner is null ? null : EmailAddressText.Canonical(owner) },
            cancellationToken)).Select(r => r.ToAgent())];

    /// <summary>Replaces the definition if nobody changed the agent since <paramref name="current"/> was read; null otherwise.</summary>
    public async Task<Agent?> UpdateAsync(Agent current, AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var now = time.GetUtcNow();
        var updated = await database.ExecuteAsync(
            "UPDATE agents SET definition = @definition, updated_at = @now, version = version + 1 WHERE id = @id AND version = @version",
            new { definition = JsonSerializer.Serialize(definition, Json), now = StoreTime.ToMicroseconds(now), id = current.Id, version = current.Version },
            cancellationToken);
        return updated == 1 ? current with { Definition = definition, UpdatedAt = now, Version = current.Version + 1 } : null;
    }

    /// <summary>Throws the kill switch; true if this call disabled it, false if it already was.</summary>
    public Task<bool> DisableAsync(string id, CancellationToken cancellationToken) => DisableAsync(id, null, null, cancellationToken);

    /// <summary>Throws the kill switch, remembering who did, when and why (the agent page shows it); true if this call disabled it.</summary>
    public async Task<bool> DisableAsync(string id, string? actor, string? reason, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE agents SET disabled = 1, disabled_by = @actor, disabled_at = @now, disabled_reason = @reason, updated_at = @now, version = version + 1 WHERE id = @id AND disabled = 0",
            new { now = StoreTime.ToMicroseconds(time.GetUtcNow()), id, actor = actor is null ? null : EmailAddressText.Canonical(actor), reason },
            cancellationToken) == 1;

    /// <summary>Undoes the kill switch; true if this call enabled it, false if it was not disabled.</summary>
    public async Task<bool> EnableAsync(string id, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE agents SET disabled = 0, disabled_by = NULL, disabled_at = NULL, disabled_reason = NULL, updated_at = @now, version = version + 1 WHERE id = @id AND disabled = 1",
            new { now = StoreTime.ToMicroseconds(time.GetUtcNow()), id },
            cancellationToken) == 1;

    private static string NewId() => "ag_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private sealed record AgentRow
    {
        public string Id { get; init; } = "";
        public string Owner { get; init; } = "";
        public string Definition { get; init; } = "";
        public long Disabled { get; init; }
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }
        public long Version { get; init; }
        public string? DisabledBy { get; init; }
        public long? DisabledAt { get; init; }
        public string? DisabledReason { get; init; }

        public Agent ToAgent() => new(
            Id, Owner, JsonSerializer.Deserialize<AgentDefinition>(Definition, Json)!, Disabled == 1,
            StoreTime.FromMicroseconds(CreatedAt), StoreTime.FromMicroseconds(UpdatedAt), Version,
            Disabled == 1 ? DisabledBy : null, Disabled == 1 ? StoreTime.FromMicroseconds(DisabledAt) : null, Disabled == 1 ? DisabledReason : null);
    }
}
