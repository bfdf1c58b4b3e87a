using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>
/// Gives every call of a stopped run its final outcome, whatever stopped it (wall time, kill switch,
/// budgets, a crash): a call in flight becomes outcome_unknown for a person to check (its effect may
/// exist), a call that was proposed or parked and never ran becomes cancelled. Each one is audited, in
/// the same transaction as the records.
/// </summary>
public sealed class RunCallEndings(RunStore runs, IAuditLog audit)
{
    /// <param name="inFlightToo">False when another executor may still be running the call in flight
    /// (the kill switch): it records that call's real outcome itself.</param>
    public async Task<int> CloseAsync(string runId, string agentId, string reason, bool inFlightToo, CancellationToken cancellationToken)
    {
        var open = (await runs.ToolCallsAsync(runId, cancellationToken))
            .Where(c => c.Outcome is ToolCallOutcome.Proposed or ToolCallOutcome.AwaitingApproval || (inFlightToo && c.Outcome == ToolCallOutcome.Requested))
            .ToList();
        if (open.Count == 0)
        {
            return 0;
        }

        var entries = open.Select(c => new AuditEntry(
            c.Outcome == ToolCallOutcome.Requested ? AuditEventTypes.ActionOutcomeUnknown : AuditEventTypes.ActionCancelled,
            AuditActor.System,
            agentId,
            runId,
            new()
            {
                ["callId"] = c.CallId,
                ["function"] = c.Function,
                ["was"] = c.Outcome.ToText(),
                ["reason"] = c.Outcome == ToolCallOutcome.Requested ? $"{reason}; the call was in flight: check its effect" : reason,
            })).ToList();
        await audit.AppendAsync(entries, RunStore.CloseOpenCallsWrite(runId, reason, inFlightToo), cancellationToken);
        return open.Count;
    }
}
