using System.Data.Common;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Usage;

/// <summary>
/// The raw figures behind the usage report: runs created in a period with their tokens, their tool
/// calls and approvals. Counting and pricing happen in the host; the SQL stays plain enough for both
/// SQLite and PostgreSQL (joins, IN lists of named parameters, no JSON functions).
/// </summary>
public sealed class UsageStore(StoreDatabase database)
{
    public async Task<UsageFacts> ReadAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<string>? owners, CancellationToken cancellationToken)
    {
        if (owners is { Count: 0 })
        {
            return new UsageFacts([], [], []);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var runs = await QueryAsync(connection, "SELECT r.id, r.agent_id, a.owner, r.status, r.input_tokens, r.output_tokens", from, to, owners,
            r => new UsageRun(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5)), string.Empty, cancellationToken);
        var calls = await QueryAsync(connection, "SELECT c.run_id, c.function, c.outcome", from, to, owners,
            r => new UsageCall(r.GetString(0), r.GetString(1), r.GetString(2)), " JOIN run_tool_calls c ON c.run_id = r.id", cancellationToken);
        var approvals = await QueryAsync(connection, "SELECT p.run_id, p.status", from, to, owners,
            r => new UsageApproval(r.GetString(0), r.GetString(1)), " JOIN approvals p ON p.run_id = r.id", cancellationToken);
        return new UsageFacts(runs, calls, approvals);
    }

    private static async Task<List<T>> QueryAsync<T>(
        DbConnection connection, string select, DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<string>? owners,
        Func<DbDataReader, T> read, string join, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        var sql = select + " FROM runs r JOIN agents a ON a.id = r.agent_id" + join + " WHERE r.created_at >= @from AND r.created_at < @to";
        command.AddParameter("@from", StoreTime.ToMicroseconds(from));
        command.AddParameter("@to", StoreTime.ToMicroseconds(to));
        if (owners is not null)
        {
            var names = owners.Select((owner, i) => (Name: $"@o{i}", Owner: owner.ToLowerInvariant())).ToList();
            foreach (var (name, owner) in names)
            {
                command.AddParameter(name, owner);
            }

            sql += $" AND lower(a.owner) IN ({string.Join(", ", names.Select(n => n.Name))})";
        }

        command.CommandText = sql;
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
