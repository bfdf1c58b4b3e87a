using AgentHost.Core.Approvals;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using Dapper;

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

        // Owners are stored in canonical lower case, so the filter compares exactly.
        var parameters = new DynamicParameters(new { from = StoreTime.ToMicroseconds(from), to = StoreTime.ToMicroseconds(to) });
        var where = " WHERE r.created_at >= @from AND r.created_at < @to"
            + (owners is null ? string.Empty : $" AND a.owner IN {StoreDatabase.InList(parameters, "owner", owners.Select(EmailAddressText.Canonical).Distinct(StringComparer.Ordinal))}");
        const string Runs = " FROM runs r JOIN agents a ON a.id = r.agent_id";
        var runs = await database.QueryAsync<Row>(
            "SELECT r.id AS run_id, r.agent_id, a.owner, r.status, r.input_tokens, r.output_tokens" + Runs + where, parameters, cancellationToken);
        var calls = await database.QueryAsync<Row>(
            "SELECT c.run_id, c.function, c.outcome AS status" + Runs + " JOIN run_tool_calls c ON c.run_id = r.id" + where, parameters, cancellationToken);
        var approvals = await database.QueryAsync<Row>(
            "SELECT p.run_id, p.status" + Runs + " JOIN approvals p ON p.run_id = r.id" + where, parameters, cancellationToken);
        return new UsageFacts(
            [.. runs.Select(r => new UsageRun(r.RunId, r.AgentId, r.Owner, SnakeCase.Parse<RunStatus>(r.Status), r.InputTokens, r.OutputTokens))],
            [.. calls.Select(c => new UsageCall(c.RunId, c.Function, SnakeCase.Parse<ToolCallOutcome>(c.Status)))],
            [.. approvals.Select(a => new UsageApproval(a.RunId, SnakeCase.Parse<ApprovalStatus>(a.Status)))]);
    }

    /// <summary>The columns of the three queries; each reads the ones it selects.</summary>
    private sealed record Row
    {
        public string RunId { get; init; } = "";
        public string AgentId { get; init; } = "";
        public string Owner { get; init; } = "";
        public string Function { get; init; } = "";
        public string Status { get; init; } = "";
        public long InputTokens { get; init; }
        public long OutputTokens { get; init; }
    }
}
