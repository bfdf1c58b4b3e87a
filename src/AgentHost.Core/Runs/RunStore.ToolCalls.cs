using System.Data.Common;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>The tool calls of runs: one record per call from the moment the model proposed it to its final outcome.</summary>
public sealed partial class RunStore
{
    private const string ToolCallColumns = "run_id, turn, call_id, function, arguments, decision, rules, outcome, result_summary, model_call_id, arguments_sha256, effect, started_at";

    // Rows per INSERT when a reply's calls are recorded: far below SQLite's and PostgreSQL's parameter limits.
    private const int ProposedChunk = 100;

    public Task RecordToolCallAsync(ToolCallRecord call, CancellationToken cancellationToken)
    {
        var write = ToolCallWrite(call);
        return ExecuteAsync(write.Sql, cancellationToken, [.. write.Parameters.Select(p => (p.Key, p.Value))]);
    }

    /// <summary>
    /// The tool-call record as a write that can ride in the audit writer's transaction. A later write of
    /// the same call moves it on (decision, outcome); the first start time and the correlation id stay.
    /// </summary>
    public static StoreWrite ToolCallWrite(ToolCallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new StoreWrite(
            $"INSERT INTO run_tool_calls ({ToolCallColumns}) VALUES (@run, @turn, @call, @function, @arguments, @decision, @rules, @outcome, @summary, @model, @sha, @effect, @started) "
            + "ON CONFLICT (run_id, call_id) DO UPDATE SET arguments = excluded.arguments, decision = excluded.decision, rules = excluded.rules, outcome = excluded.outcome, result_summary = excluded.result_summary, "
            + "model_call_id = COALESCE(run_tool_calls.model_call_id, excluded.model_call_id), arguments_sha256 = COALESCE(excluded.arguments_sha256, run_tool_calls.arguments_sha256), "
            + "effect = COALESCE(excluded.effect, run_tool_calls.effect), started_at = COALESCE(run_tool_calls.started_at, excluded.started_at)",
            Parameters(call, string.Empty));
    }

    /// <summary>
    /// Records every call of a model reply as proposed before any is decided, in one transaction, so a
    /// call that is never reached (the run stopped first) still has a record that is then closed as
    /// cancelled. A record that exists (a job that runs twice) is left alone.
    /// </summary>
    public async Task RecordProposedAsync(IReadOnlyList<ToolCallRecord> calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var chunk in calls.Chunk(ProposedChunk))
        {
            var rows = chunk.Select((c, i) => $"(@run{i}, @turn{i}, @call{i}, @function{i}, @arguments{i}, @decision{i}, @rules{i}, @outcome{i}, @summary{i}, @model{i}, @sha{i}, @effect{i}, @started{i})");
            var sql = $"INSERT INTO run_tool_calls ({ToolCallColumns}) VALUES {string.Join(", ", rows)} ON CONFLICT (run_id, call_id) DO NOTHING";
            await ExecuteAsync(connection, transaction, sql, cancellationToken, [.. chunk.SelectMany((c, i) => Parameters(c, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ToolCallRecord>> ToolCallsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ToolCallColumns} FROM run_tool_calls WHERE run_id = @run ORDER BY turn, " + database.InsertionOrder;
        command.AddParameter("@run", runId);
        var calls = new List<ToolCallRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            calls.Add(new ToolCallRecord(
                reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                JsonSerializer.Deserialize<string[]>(reader.GetString(6))!, reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : StoreTime.FromMicroseconds(reader.GetInt64(12))));
        }

        return calls;
    }

    /// <summary>
    /// Calls of a run the policy decided (maxToolCallsPerRun): not those the host refused before the
    /// policy (rule ids starting "builtin:", malformed or over a budget) nor those a stop cancelled.
    /// </summary>
    public Task<long> DecidedCallCountAsync(string runId, CancellationToken cancellationToken) => CountAsync(
        $"SELECT COUNT(*) FROM run_tool_calls WHERE run_id = @a AND outcome NOT IN ('{ToolCallOutcome.Proposed}', '{ToolCallOutcome.Cancelled}') AND rules NOT LIKE '%\"builtin:%'",
        cancellationToken,
        runId);

    /// <summary>Writes and destructive calls of an agent handed to a plugin since a moment, across all its runs and processes.</summary>
    public Task<long> EffectsSinceAsync(string agentId, DateTimeOffset since, CancellationToken cancellationToken) => CountAsync(
        "SELECT COUNT(*) FROM run_tool_calls c JOIN runs r ON r.id = c.run_id WHERE r.agent_id = @a AND c.effect IN ('write', 'destructive') AND c.started_at >= @b",
        cancellationToken,
        agentId,
        StoreTime.ToMicroseconds(since));

    /// <summary>
    /// Moves every call of a run that has no final outcome to one, as a write for the audit writer's
    /// transaction: in flight (requested) becomes outcome_unknown when <paramref name="inFlightToo"/>,
    /// proposed and parked ones become cancelled.
    /// </summary>
    public static StoreWrite CloseOpenCallsWrite(string runId, string reason, bool inFlightToo) => new(
        $"UPDATE run_tool_calls SET outcome = CASE outcome WHEN '{ToolCallOutcome.Requested}' THEN '{ToolCallOutcome.OutcomeUnknown}' ELSE '{ToolCallOutcome.Cancelled}' END, result_summary = @reason "
        + $"WHERE run_id = @run AND outcome IN ('{ToolCallOutcome.Proposed}', '{ToolCallOutcome.AwaitingApproval}'{(inFlightToo ? $", '{ToolCallOutcome.Requested}'" : string.Empty)})",
        [new("@run", runId), new("@reason", reason)]);

    /// <summary>Refuses proposed calls a budget does not allow, as a write for the audit writer's transaction.</summary>
    public static StoreWrite RefuseCallsWrite(string runId, IReadOnlyList<string> callIds, string rule, string reason)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        var names = callIds.Select((_, i) => "@c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return new StoreWrite(
            $"UPDATE run_tool_calls SET decision = 'deny', rules = @rules, outcome = '{ToolCallOutcome.Denied}', result_summary = @reason WHERE run_id = @run AND outcome = '{ToolCallOutcome.Proposed}' AND call_id IN ({string.Join(", ", names)})",
            [new("@rules", JsonSerializer.Serialize(new[] { rule })), new("@reason", reason), new("@run", runId), .. callIds.Select((id, i) => new KeyValuePair<string, object?>(names[i], id))]);
    }

    private static KeyValuePair<string, object?>[] Parameters(ToolCallRecord call, string suffix) =>
    [
        new("@run" + suffix, call.RunId), new("@turn" + suffix, call.Turn), new("@call" + suffix, call.CallId), new("@function" + suffix, call.Function),
        new("@arguments" + suffix, call.Arguments), new("@decision" + suffix, call.Decision), new("@rules" + suffix, JsonSerializer.Serialize(call.Rules)),
        new("@outcome" + suffix, call.Outcome), new("@summary" + suffix, call.ResultSummary), new("@model" + suffix, call.ModelCallId),
        new("@sha" + suffix, call.ArgumentsSha256), new("@effect" + suffix, call.Effect),
        new("@started" + suffix, call.StartedAt is { } started ? StoreTime.ToMicroseconds(started) : null),
    ];

    private async Task<long> CountAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.AddParameter("@" + (char)('a' + i), values[i]);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
