namespace AgentHost.Core.Storage;

/// <summary>How many rows of an agent a table got since a moment, and when the oldest was: the hourly limits' count.</summary>
public static class CreatedSince
{
    /// <param name="table">A table with agent_id and created_at (microseconds): one of ours, never caller text.</param>
    public static async Task<(int Count, DateTimeOffset? Oldest)> CountAsync(StoreDatabase database, string table, string agentId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var row = await database.QuerySingleOrDefaultAsync<CountRow>(
            $"SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM {table} WHERE agent_id = @agentId AND created_at >= @since",
            new { agentId, since = StoreTime.ToMicroseconds(since) },
            cancellationToken);
        return (checked((int)row!.Count), StoreTime.FromMicroseconds(row.Oldest));
    }

    private sealed record CountRow
    {
        public long Count { get; init; }
        public long? Oldest { get; init; }
    }
}
