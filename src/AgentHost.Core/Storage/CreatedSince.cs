using System.Globalization;
using AgentHost.Core.Audit;

namespace AgentHost.Core.Storage;

/// <summary>How many rows of an agent a table got since a moment, and when the oldest was: the hourly limits' count.</summary>
public static class CreatedSince
{
    /// <param name="table">A table with agent_id and created_at (microseconds): one of ours, never caller text.</param>
    public static async Task<(int Count, DateTimeOffset? Oldest)> CountAsync(StoreDatabase database, string table, string agentId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*), MIN(created_at) FROM {table} WHERE agent_id = @agent AND created_at >= @since";
        command.AddParameter("@agent", agentId);
        command.AddParameter("@since", StoreTime.ToMicroseconds(since));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.IsDBNull(1) ? null : StoreTime.FromMicroseconds(reader.GetInt64(1)));
    }
}
