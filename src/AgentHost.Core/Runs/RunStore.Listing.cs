using AgentHost.Core.Storage;
using Dapper;

namespace AgentHost.Core.Runs;

public sealed partial class RunStore
{
    public const int MaxListed = 200;

    /// <summary>The newest runs of these agents (the web's run list); an empty set lists nothing.</summary>
    public async Task<IReadOnlyList<Run>> ListForAgentsAsync(IReadOnlyCollection<string> agentIds, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        if (agentIds.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters(new { limit = Math.Clamp(limit, 1, MaxListed) });
        var rows = await database.QueryAsync<RunRow>(
            $"{SelectRuns} WHERE r.agent_id IN {StoreDatabase.InList(parameters, "agent", agentIds)} ORDER BY r.created_at DESC LIMIT @limit",
            parameters,
            cancellationToken);
        return [.. rows.Select(r => r.ToRun())];
    }
}
