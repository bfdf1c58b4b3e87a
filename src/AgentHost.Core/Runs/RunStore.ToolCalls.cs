using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using AgentHost.Core.Storage;
using Dapper;

namespace AgentHost.Core.Runs;

/// <summary>The tool calls of runs: one record per call from the moment the model proposed it to its final outcome.</summary>
public sealed partial class RunStore
{
    // Rows per INSERT when a reply's calls are recorded: far below SQLite's and PostgreSQL's parameter limits.
    private const int ProposedChunk = 100;

    public Task RecordToolCallAsync(ToolCallRecord call, CancellationToken cancellationToken) => database.ExecuteAsync(ToolCallWrite(call), cancellationToken);

    /// <summary>
    /// The tool-call record as a write that can ride in the audit writer's transaction. A later write of
    /// the same call moves it on (decision, outcome); the first start time and the correlation id stay.
    /// </summary>
    public static StoreWrite ToolCallWrite(ToolCallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new StoreWrite(
            $"INSERT INTO run_tool_calls ({ToolCallRow.Columns}) VALUES ({ToolCallRow.Values}) "
            + "ON CONFLICT (run_id, call_id) DO UPDATE SET arguments = excluded.arguments, decision = excluded.decision, rules = excluded.rules, outcome = excluded.outcome, result_summary = excluded.result_summary, "
            + "model_call_id = COALESCE(run_tool_calls.model_call_id, excluded.model_call_id), arguments_sha256 = COALESCE(excluded.arguments_sha256, run_tool_calls.arguments_sha256), "
            + "effect = COALESCE(excluded.effect, run_tool_calls.effect), started_at = COALESCE(run_tool_calls.started_at, excluded.started_at)",
            ToolCallRow.From(call));
    }

    /// <summary>
    /// Every call of a model reply as proposed, recorded before any is decided (in the transaction of the
    /// turn's model.called), so a call that is never reached (the run stopped first) still has a record that
    /// is then closed as cancelled. A record that exists (a job that runs twice) is left alone.
    /// </summary>
    /// <returns>No write for a reply without calls.</returns>
    public static StoreWrite? ProposedWrite(IReadOnlyList<ToolCallRecord> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        StoreWrite? write = null;
        foreach (var chunk in calls.Chunk(ProposedChunk))
        {
            // One multi-row INSERT per chunk, each row's parameters suffixed with its index (@RunId0, @Turn0, ...).
            var parameters = new DynamicParameters();
            var rows = new List<string>(chunk.Length);
            foreach (var (call, i) in chunk.Select((c, i) => (c, i.ToString(CultureInfo.InvariantCulture))))
            {
                var row = ToolCallRow.From(call);
                parameters.AddDynamicParams(new Dictionary<string, object?>
                {
                    ["RunId" + i] = row.RunId,
                    ["Turn" + i] = row.Turn,
                    ["CallId" + i] = row.CallId,
                    ["Function" + i] = row.Function,
                    ["Arguments" + i] = row.Arguments,
                    ["Decision" + i] = row.Decision,
                    ["Rules" + i] = row.Rules,
                    ["Outcome" + i] = row.Outcome,
                    ["ResultSummary" + i] = row.ResultSummary,
                    ["ModelCallId" + i] = row.ModelCallId,
                    ["ArgumentsSha256" + i] = row.ArgumentsSha256,
                    ["Effect" + i] = row.Effect,
                    ["StartedAt" + i] = row.StartedAt,
                });
                rows.Add("(" + string.Join(", ", ToolCallRow.Values.Split(", ").Select(name => name + i)) + ")");
            }

            var sql = $"INSERT INTO run_tool_calls ({ToolCallRow.Columns}) VALUES {string.Join(", ", rows)} ON CONFLICT (run_id, call_id) DO NOTHING";
            write = StoreWrite.Chain(write, new StoreWrite(sql, parameters));
        }

        return write;
    }

    public async Task<IReadOnlyList<ToolCallRecord>> ToolCallsAsync(string runId, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<ToolCallRow>(
            $"SELECT {ToolCallRow.Columns} FROM run_tool_calls WHERE run_id = @runId ORDER BY turn, {database.InsertionOrder}",
            new { runId },
            cancellationToken)).Select(r => r.ToRecord())];

    /// <summary>
    /// Calls of a run the policy decided (maxToolCallsPerRun): not those the host refused before the
    /// policy (rule ids starting "builtin:", malformed or over a budget) nor those a stop cancelled.
    /// </summary>
    public Task<long> DecidedCallCountAsync(string runId, CancellationToken cancellationToken) => database.ScalarAsync<long>(
        "SELECT COUNT(*) FROM run_tool_calls WHERE run_id = @runId AND outcome NOT IN (@proposed, @cancelled) AND rules NOT LIKE '%\"builtin:%'",
        new { runId, proposed = ToolCallOutcome.Proposed.ToText(), cancelled = ToolCallOutcome.Cancelled.ToText() },
        cancellationToken);

    /// <summary>Writes and destructive calls of an agent handed to a plugin since a moment, across all its runs and processes.</summary>
    public Task<long> EffectsSinceAsync(string agentId, DateTimeOffset since, CancellationToken cancellationToken) => database.ScalarAsync<long>(
        "SELECT COUNT(*) FROM run_tool_calls c JOIN runs r ON r.id = c.run_id WHERE r.agent_id = @agentId AND c.effect IN ('write', 'destructive') AND c.started_at >= @since",
        new { agentId, since = StoreTime.ToMicroseconds(since) },
        cancellationToken);

    /// <summary>
    /// Moves every call of a run that has no final outcome to one, as a write for the audit writer's
    /// transaction: in flight (requested) becomes outcome_unknown when <paramref name="inFlightToo"/>,
    /// proposed and parked ones become cancelled.
    /// </summary>
    public static StoreWrite CloseOpenCallsWrite(string runId, string reason, bool inFlightToo) => new(
        "UPDATE run_tool_calls SET outcome = CASE outcome WHEN @requested THEN @unknown ELSE @cancelled END, result_summary = @reason "
        + $"WHERE run_id = @runId AND outcome IN (@proposed, @parked{(inFlightToo ? ", @requested" : string.Empty)})",
        new
        {
            runId,
            reason,
            requested = ToolCallOutcome.Requested.ToText(),
            unknown = ToolCallOutcome.OutcomeUnknown.ToText(),
            cancelled = ToolCallOutcome.Cancelled.ToText(),
            proposed = ToolCallOutcome.Proposed.ToText(),
            parked = ToolCallOutcome.AwaitingApproval.ToText(),
        });

    /// <summary>Refuses proposed calls a budget does not allow, as a write for the audit writer's transaction.</summary>
    public static StoreWrite RefuseCallsWrite(string runId, IReadOnlyList<string> callIds, string rule, string reason)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        var parameters = new DynamicParameters(new { rules = JsonSerializer.Serialize(new[] { rule }), reason, runId, denied = ToolCallOutcome.Denied.ToText(), proposed = ToolCallOutcome.Proposed.ToText() });
        return new StoreWrite(
            $"UPDATE run_tool_calls SET decision = 'deny', rules = @rules, outcome = @denied, result_summary = @reason WHERE run_id = @runId AND outcome = @proposed AND call_id IN {StoreDatabase.InList(parameters, "call", callIds)}",
            parameters);
    }
}
