using AgentHost.Approvals;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;

namespace AgentHost.Agents;

/// <summary>
/// Throwing the kill switch from the API or the agent page: the agent and its runs stop, its pending
/// approvals lose their buttons in Slack (saying why), and its schedules are removed. Undoing it
/// (<see cref="UndoAsync"/>) lets the agent run again; what it stopped stays stopped.
/// </summary>
public sealed class AgentKillSwitch(AgentService agents, AgentStore store, RunStore runs, ApprovalStore approvals, RunCallEndings calls, ApprovalEvents approvalEvents, AgentSchedules schedules, IAuditLog audit)
{
    public const int MaxReasonLength = 500;

    public async Task<Agent> ThrowAsync(Agent agent, string actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        reason = Trim(reason);
        var pending = await approvals.PendingForAgentAsync(agent.Id, cancellationToken);
        var disabled = await agents.DisableAsync(agent.Id, actor, reason, cancellationToken);
        foreach (var approval in pending)
        {
            approvalEvents.Changed(new ApprovalChanged(approval.Id, approval.RunId, ApprovalChange.AgentDisabled));
        }

        // A run stopped while parked has no executor to close its calls: the parked call and those after it
        // end cancelled. That includes a run whose approval was decided but not yet resumed (its approval is
        // no longer pending, and the resumption now finds the run stopped), so the runs are found by their calls.
        foreach (var runId in await runs.StoppedWithParkedCallsAsync(agent.Id, cancellationToken))
        {
            await calls.CloseAsync(runId, agent.Id, "the agent was disabled (kill switch)", inFlightToo: false, cancellationToken);
        }

        schedules.Sync(disabled!);
        return disabled!;
    }

    /// <summary>
    /// Re-enables a disabled agent (owner or admin), audited as agent.enabled with the reason and what the
    /// switch had said. Runs it stopped stay stopped; its schedules come back. Null when it was not disabled.
    /// </summary>
    public async Task<Agent?> UndoAsync(Agent agent, string actor, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!await store.EnableAsync(agent.Id, cancellationToken))
        {
            return null;
        }

        await audit.AppendAsync(new AuditEntry(AuditEventTypes.AgentEnabled, AuditActor.Employee(actor), agent.Id, Data: new()
        {
            ["reason"] = Trim(reason),
            ["disabledBy"] = agent.DisabledBy,
            ["disabledReason"] = agent.DisabledReason,
        }), cancellationToken);
        var enabled = (await store.GetAsync(agent.Id, cancellationToken))!;
        schedules.Sync(enabled);
        return enabled;
    }

    private static string? Trim(string? reason)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        return reason is { Length: > MaxReasonLength } text ? text[..MaxReasonLength] : reason;
    }
}
