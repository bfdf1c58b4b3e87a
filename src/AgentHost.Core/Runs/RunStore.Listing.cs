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

        // One named parameter per id: both dialects accept IN (@a0, @a1, ...), neither needs an array type.
        var parameters = agentIds.Select((id, i) => ($"@a{i}", (object)id)).ToList();
        parameters.Add(("@limit", Math.Clamp(limit, 1, MaxListed)));
        return await QueryAsync(
            $"SELECT {Columns} FROM runs WHERE agent_id IN ({string.Join(", ", parameters.SkipLast(1).Select(p => p.Item1))}) ORDER BY created_at DESC LIMIT @limit",
            cancellationToken,
            [.. parameters]);
    }
}
