using System.Security.Cryptography;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using System.Data.Common;

namespace AgentHost.Core.Agents;

/// <summary>Agents in the store; the definition is kept as one JSON document, versioned for optimistic updates.</summary>
public sealed class AgentStore(StoreDatabase database, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Agent> CreateAsync(string owner, AgentDefinition definition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var agent = new Agent(NewId(), owner, definition, false, now, now, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO agents (id, owner, definition, disabled, created_at, updated_at, version) VALUES (@id, @owner, @definition, 0, @now, @now, 1)";
        insert.AddParameter("@id", agent.Id);
        insert.AddParameter("@owner", owner);
        insert.AddParameter("@definition", JsonSerializer.Serialize(definition, Json));
        insert.AddParameter("@now", StoreTime.ToMicroseconds(now));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return agent;
    }

    public async Task<Agent?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("WHERE id = @value", id, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Agents of one owner, or every agent when <paramref name="owner"/> is null.</summary>
    public Task<IReadOnlyList<Agent>> ListAsync(string? owner, CancellationToken cancellationToken) =>
        owner is null ? QueryAsync("ORDER BY created_at", null, cancellationToken) : QueryAsync("WHERE lower(owner) = lower(@value) ORDER BY created_at", owner, cancellationToken);

    /// <summary>Replaces the definition if nobody changed the agent since <paramref name="current"/> was read; null otherwise.</summary>
    public async Task<Agent?> UpdateAsync(Agent current, AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE agents SET definition = @definition, updated_at = @now, version = version + 1 WHERE id = @id AND version = @version";
        update.AddParameter("@definition", JsonSerializer.Serialize(definition, Json));
        update.AddParameter("@now", StoreTime.ToMicroseconds(now));
        update.AddParameter("@id", current.Id);
        update.AddParameter("@version", current.Version);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1
            ? current with { Definition = definition, UpdatedAt = now, Version = current.Version + 1 }
            : null;
    }

    /// <summary>Throws the kill switch; true if this call disabled it, false if it already was.</summary>
    public async Task<bool> DisableAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE agents SET disabled = 1, updated_at = @now, version = version + 1 WHERE id = @id AND disabled = 0";
        update.AddParameter("@now", StoreTime.ToMicroseconds(time.GetUtcNow()));
        update.AddParameter("@id", id);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string NewId() => "ag_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private async Task<IReadOnlyList<Agent>> QueryAsync(string where, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, owner, definition, disabled, created_at, updated_at, version FROM agents " + where;
        if (value is not null)
        {
            command.AddParameter("@value", value);
        }

        var agents = new List<Agent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            agents.Add(new Agent(
                reader.GetString(0),
                reader.GetString(1),
                JsonSerializer.Deserialize<AgentDefinition>(reader.GetString(2), Json)!,
                reader.GetInt64(3) == 1,
                StoreTime.FromMicroseconds(reader.GetInt64(4)),
                StoreTime.FromMicroseconds(reader.GetInt64(5)),
                reader.GetInt64(6)));
        }

        return agents;
    }
}
