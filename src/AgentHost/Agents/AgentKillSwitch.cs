using AgentHost.Approvals;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;

namespace AgentHost.Agents;

/// <summary>
/// Throwing the kill switch from the API or the agent page: the agent and its runs stop, its pending
/// approvals lose their buttons in Slack (saying why), and its schedules are removed.
/// </summary>
public sealed class AgentKillSwitch(AgentService agents, ApprovalStore approvals, AgentHost.Core.Runs.RunCallEndings calls, ApprovalEvents approvalEvents, AgentSchedules schedules)
{
    public const int MaxReasonLength = 500;

    public async Task<Agent> ThrowAsync(Agent agent, string actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        reason = reason is { Length: > MaxReasonLength } text ? text[..MaxReasonLength] : reason;
        var pending = await approvals.PendingForAgentAsync(agent.Id, cancellationToken);
        var disabled = await agents.DisableAsync(agent.Id, actor, reason, cancellationToken);
        foreach (var approval in pending)
        {
            approvalEvents.Changed(new ApprovalChanged(approval.Id, approval.RunId, ApprovalChange.AgentDisabled));
        }

        // A parked run has no executor to close its calls: the parked call and those after it end cancelled.
        foreach (var runId in pending.Select(a => a.RunId).Distinct(StringComparer.Ordinal))
        {
            await calls.CloseAsync(runId, agent.Id, "the agent was disabled (kill switch)", inFlightToo: false, cancellationToken);
        }

        schedules.Sync(disabled!);
        return disabled!;
    }
}
