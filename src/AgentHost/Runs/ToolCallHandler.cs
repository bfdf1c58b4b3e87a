using System.Text.Json.Nodes;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using AgentHost.Telemetry;
using Microsoft.SemanticKernel;

namespace AgentHost.Runs;

/// <summary>
/// Handles the calls of the last model reply that have no result yet, in order. Calls past the budgets
/// (per reply, per run) are refused together first; the call an approval settled runs or is refused
/// without asking the gate again; every other call goes through the gate on its own.
/// </summary>
public sealed class ToolCallHandler(CallDecision decisions, ApprovalSettlement settlement, IAuditLog audit)
{
    public const string BudgetRulePrefix = "builtin:budget:";

    /// <returns>Whether the run continues, parked on a call or ended; a call that parks or ends it leaves the calls after it open.</returns>
    public async Task<RunProgress> HandleOpenCallsAsync(RunState state, Approval? settled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var open = ReplyCalls.Open(state.History);
        if (settled is not null)
        {
            var first = open.Count == 0 ? null : open[0];
            using (AgentHostTelemetry.StartToolCall(state.Run.Id, settled.Function, settled.CallId))
            {
                var progress = await settlement.SettleAsync(state, first, settled, cancellationToken);
                if (await SaveAsync(state, progress) != RunProgress.Continues)
                {
                    return progress;
                }
            }

            open = [.. open.Skip(1)];
        }
        else
        {
            open = await RefuseOverBudgetAsync(state, open, cancellationToken);
        }

        foreach (var call in open)
        {
            // The handlers tag this span (Activity.Current) with the decision and its outcome.
            using var span = AgentHostTelemetry.StartToolCall(state.Run.Id, call.Function, call.HostId);
            var progress = await decisions.HandleAsync(state, call, cancellationToken);
            if (await SaveAsync(state, progress) != RunProgress.Continues)
            {
                return progress;
            }
        }

        return RunProgress.Continues;
    }

    /// <summary>
    /// Saves the run's history in the audit writer's next group commit. A run that goes on does not wait
    /// for it (its next decision or ending does); a run that parked or ended waits, so whoever resumes it
    /// reads this history.
    /// </summary>
    private async Task<RunProgress> SaveAsync(RunState state, RunProgress progress)
    {
        state.Defer(audit.AppendAsync([], ProgressWrite(state), CancellationToken.None));
        if (progress != RunProgress.Continues)
        {
            await state.SettleAsync();
        }

        return progress;
    }

    /// <summary>The run's turns, tokens and history as they are now, as a write for the audit writer's transaction.</summary>
    public static StoreWrite ProgressWrite(RunState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return RunStore.ProgressWrite(state.Run.Id, state.Turn, state.InputTokens, state.OutputTokens, ChatHistoryJson.Serialize(state.History));
    }

    /// <summary>
    /// One reply may propose any number of calls; only so many are put to the gate. The rest are refused
    /// before any call runs, in one audited budget.exceeded per budget naming every refused call.
    /// </summary>
    private async Task<IReadOnlyList<ReplyCall>> RefuseOverBudgetAsync(RunState state, IReadOnlyList<ReplyCall> open, CancellationToken cancellationToken)
    {
        var budgets = state.Budgets;
        var overTurn = open.Where(c => c.Index >= budgets.MaxToolCallsPerTurn).ToList();
        var within = open.Where(c => c.Index < budgets.MaxToolCallsPerTurn).ToList();
        var room = (int)Math.Clamp(budgets.MaxToolCallsPerRun - state.DecidedCalls, 0, within.Count);
        var overRun = within.Skip(room).ToList();
        await RefuseAsync(state, overTurn, "maxToolCallsPerTurn", budgets.MaxToolCallsPerTurn, open.Count == 0 ? 0 : open[^1].Index + 1, cancellationToken);
        await RefuseAsync(state, overRun, "maxToolCallsPerRun", budgets.MaxToolCallsPerRun, state.DecidedCalls + within.Count, cancellationToken);
        state.RunBudgetSpent |= overRun.Count > 0;
        return [.. within.Take(room)];
    }

    private async Task RefuseAsync(RunState state, List<ReplyCall> calls, string budget, long limit, long proposed, CancellationToken cancellationToken)
    {
        if (calls.Count == 0)
        {
            return;
        }

        var reason = $"refused: budget exceeded: {budget} (at most {limit}{(budget == "maxToolCallsPerTurn" ? " calls per reply" : " calls per run")})";
        var ids = calls.Select(c => c.HostId).ToList();
        await audit.AppendAsync(
            [
                new AuditEntry(AuditEventTypes.BudgetExceeded, AuditActor.System, state.Agent.Id, state.Run.Id, new()
                {
                    ["budget"] = budget,
                    ["limit"] = limit,
                    ["used"] = proposed,
                    ["turn"] = state.Turn,
                    ["refused"] = calls.Count,
                    ["callIds"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]),
                }),
            ],
            RunStore.RefuseCallsWrite(state.Run.Id, ids, BudgetRulePrefix + budget, reason),
            cancellationToken);
        foreach (var call in calls)
        {
            AgentHostTelemetry.ToolCallEnded(null, call.Function, "deny", ToolCallOutcome.Denied, [BudgetRulePrefix + budget]);
            state.History.Add(new FunctionResultContent(call.Call, $"{reason}; nothing was done").ToChatMessage());
        }

        await SaveAsync(state, RunProgress.Continues);
    }
}
