using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using AgentHost.Core.Agents.History;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using Dapper;

namespace AgentHost.Core.Agents;

/// <summary>
/// Agents in the store; the definition is kept as one JSON document, versioned for optimistic updates.
/// The owner is stored in canonical lower case (<see cref="EmailAddressText"/>), so lookups compare exactly.
/// Every save of a definition is also a version in agent_versions, written in the same transaction as the
/// row, with the diff from the version before; a save that changes nothing writes neither.
/// </summary>
/// <param name="catalog">Scope values are compared by the gate's canonical spelling when given (the host's tools).</param>
/// <param name="redactor">Secrets are removed from a version's definition and diff when given (the audit trail's redactor).</param>
public sealed class AgentStore(StoreDatabase database, TimeProvider time, ToolCatalog? catalog = null, SecretRedactor? redactor = null)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Select = "SELECT id, owner, definition, disabled, created_at, updated_at, version, disabled_by, disabled_at, disabled_reason, definition_version FROM agents";

    /// <summary>Stores a new agent and its version 1, saved by its owner.</summary>
    public async Task<Agent> CreateAsync(string owner, AgentDefinition definition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var agent = new Agent(NewId(), EmailAddressText.Canonical(owner), definition, false, now, now, 1, DefinitionVersion: 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await StoreDatabase.ExecuteAsync(transaction, new StoreWrite(
            "INSERT INTO agents (id, owner, definition, disabled, created_at, updated_at, version, definition_version) VALUES (@id, @owner, @definition, 0, @now, @now, 1, 1)",
            new { id = agent.Id, owner = agent.Owner, definition = JsonSerializer.Serialize(definition, Json), now = StoreTime.ToMicroseconds(now) }),
            cancellationToken);
        await StoreDatabase.ExecuteAsync(transaction, VersionWrite(agent, agent.Owner, Diff(null, definition)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return agent;
    }

    /// <summary>
    /// What a save from <paramref name="before"/> (null: creating) to <paramref name="after"/> changes, compared
    /// as the domain compares (scope values by their canonical spelling) and with secrets removed.
    /// </summary>
    public AgentDiff Diff(AgentDefinition? before, AgentDefinition after)
    {
        var diff = AgentDiff.Between(before, after, catalog is null ? null : (scope, value) => ScopeValues.Canonical(catalog, scope, value));
        return redactor is null || diff.IsEmpty ? diff : diff.Redacted(redactor);
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

    /// <summary>
    /// Replaces the definition if nobody changed the agent since <paramref name="current"/> was read, and
    /// records the save as the next version with its diff, in one transaction; null on such a conflict. A
    /// definition equal to the current one (<see cref="AgentDiff.IsEmpty"/>) writes nothing and returns
    /// <paramref name="current"/> with an empty diff.
    /// </summary>
    public async Task<AgentSave?> UpdateAsync(Agent current, AgentDefinition definition, string savedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var diff = Diff(current.Definition, definition);
        if (diff.IsEmpty)
        {
            return new AgentSave(current, diff);
        }

        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // The row lock this takes orders concurrent saves: each gets the next number, never the same one.
        var version = await connection.QuerySingleOrDefaultAsync<long?>(StoreDatabase.Command(
            "UPDATE agents SET definition = @definition, updated_at = @now, version = version + 1, definition_version = definition_version + 1 WHERE id = @id AND version = @version RETURNING definition_version",
            new { definition = JsonSerializer.Serialize(definition, Json), now = StoreTime.ToMicroseconds(now), id = current.Id, version = current.Version },
            transaction,
            cancellationToken));
        if (version is not { } saved)
        {
            return null;
        }

        var updated = current with { Definition = definition, UpdatedAt = now, Version = current.Version + 1, DefinitionVersion = saved };
        await StoreDatabase.ExecuteAsync(transaction, VersionWrite(updated, savedBy, diff), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AgentSave(updated, diff);
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

    private StoreWrite VersionWrite(Agent agent, string savedBy, AgentDiff diff)
    {
        var definition = JsonSerializer.SerializeToNode(agent.Definition, Json);
        return new StoreWrite(
            "INSERT INTO agent_versions (agent_id, version, saved_by, saved_at, definition, diff) VALUES (@agentId, @version, @savedBy, @savedAt, @definition, @diff)",
            new
            {
                agentId = agent.Id,
                version = agent.DefinitionVersion,
                savedBy = EmailAddressText.Canonical(savedBy),
                savedAt = StoreTime.ToMicroseconds(agent.UpdatedAt),
                definition = (redactor is null ? definition : redactor.Redact(definition))!.ToJsonString(Json),
                diff = JsonSerializer.Serialize(diff, AgentVersionStore.DiffJson),
            });
    }

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
        public long DefinitionVersion { get; init; }

        public Agent ToAgent() => new(
            Id, Owner, JsonSerializer.Deserialize<AgentDefinition>(Definition, Json)!, Disabled == 1,
            StoreTime.FromMicroseconds(CreatedAt), StoreTime.FromMicroseconds(UpdatedAt), Version,
            Disabled == 1 ? DisabledBy : null, Disabled == 1 ? StoreTime.FromMicroseconds(DisabledAt) : null, Disabled == 1 ? DisabledReason : null, DefinitionVersion);
    }
}
