using System.Text.Json;
using System.Text.Json.Serialization;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Agents.History;

/// <summary>
/// An agent's history as stored: the versions <see cref="AgentStore"/> wrote with each save, read newest
/// first. Nothing here writes: a version is only ever written together with the save it records.
/// </summary>
public sealed class AgentVersionStore(StoreDatabase database)
{
    /// <summary>The diff as stored: field paths as the API names them, and no nulls (a set change has no before/after).</summary>
    internal static readonly JsonSerializerOptions DiffJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private const string Select = "SELECT agent_id, version, saved_by, saved_at, definition, diff FROM agent_versions";

    /// <summary>The agent's versions, newest first; at most <paramref name="limit"/> of them.</summary>
    public async Task<IReadOnlyList<AgentVersion>> ListAsync(string agentId, int limit, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<VersionRow>($"{Select} WHERE agent_id = @agentId ORDER BY version DESC LIMIT @limit", new { agentId, limit }, cancellationToken)).Select(r => r.ToVersion())];

    public async Task<AgentVersion?> GetAsync(string agentId, long version, CancellationToken cancellationToken) =>
        (await database.QuerySingleOrDefaultAsync<VersionRow>($"{Select} WHERE agent_id = @agentId AND version = @version", new { agentId, version }, cancellationToken))?.ToVersion();

    private sealed record VersionRow
    {
        public string AgentId { get; init; } = "";
        public long Version { get; init; }
        public string SavedBy { get; init; } = "";
        public long SavedAt { get; init; }
        public string Definition { get; init; } = "";
        public string Diff { get; init; } = "";

        public AgentVersion ToVersion() => new(
            AgentId, Version, SavedBy, StoreTime.FromMicroseconds(SavedAt),
            JsonSerializer.Deserialize<AgentDefinition>(Definition, AgentStore.Json)!,
            JsonSerializer.Deserialize<AgentDiff>(Diff, DiffJson)!);
    }
}
