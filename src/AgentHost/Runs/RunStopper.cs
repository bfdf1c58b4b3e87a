using AgentHost.Approvals;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>What stopping a run came to.</summary>
public enum RunStopResult
{
    Stopped,

    /// <summary>It had ended already (or ended meanwhile): nothing changed.</summary>
    AlreadyEnded,
}

/// <summary>
/// Stops one run on a person's word (its page, POST /api/runs/{id}/stop), as the kill switch stops every
/// run of an agent: the run ends stopped at once, its pending approvals are cancelled (their Slack
/// messages lose their buttons), and it is audited as run.stopped by that person, as its last event. A run executing a turn
/// sees it before its next call or model call (CallDecision, TurnLoop); a parked or queued run has no
/// executor, so its open calls are closed as cancelled here.
/// </summary>
public sealed class RunStopper(RunStore runs, ApprovalStore approvals, RunCallEndings calls, ApprovalEvents approvalEvents, RunEvents runEvents, IAuditLog audit)
{
    public const int MaxReasonLength = 500;

    public async Task<RunStopResult> StopAsync(Run run, string actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        reason = reason is { Length: > MaxReasonLength } text ? text[..MaxReasonLength] : reason;
        var why = $"stopped by {actor}" + (reason is null ? string.Empty : $": {reason}");
        var pending = (await approvals.ForRunAsync(run.Id, cancellationToken)).Where(a => a.Status == ApprovalStatus.Pending).ToList();
        var from = await runs.StopAsync(run.Id, why, cancellationToken);
        if (from is null)
        {
            return RunStopResult.AlreadyEnded;
        }

        await approvals.CancelPendingForRunAsync(run.Id, cancellationToken);
        foreach (var approval in pending)
        {
            approvalEvents.Changed(new ApprovalChanged(approval.Id, approval.RunId, ApprovalChange.RunStopped));
        }

        // A parked run has no executor: its parked call and those after it end cancelled here. A running
        // one's executor sees the stop before its next call and closes them itself (with the real outcome
        // of a call in flight).
        if (from == RunStatus.AwaitingApproval)
        {
            await calls.CloseAsync(run.Id, run.AgentId, why, inFlightToo: false, cancellationToken);
        }

        // Last, as every run's ending is its last event (RunEndings); by the person who stopped it.
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunStopped, AuditActor.Employee(actor), run.AgentId, run.Id, new() { ["reason"] = why, ["stoppedBy"] = actor }), cancellationToken);

        runEvents.Ended(new RunEnded(run.Id, run.AgentId, why));
        return RunStopResult.Stopped;
    }
}
