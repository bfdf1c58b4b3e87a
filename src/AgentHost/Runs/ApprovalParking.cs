using System.Text.Json.Nodes;
using AgentHost.Approvals;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>
/// Parks a run on a call the policy wants people to approve: the approval holds the canonical call and
/// its hash (the resumed run executes that, not the history), the run is parked and holds no thread, job
/// or kernel, and the approval's observers hear of it. <see cref="ApprovalResumption"/> picks it up again.
/// </summary>
public sealed class ApprovalParking(RunStore runs, ApprovalStore approvals, AgentRateLimits limits, RunEndings endings, ApprovalEvents events, RunDispatcher dispatcher, IAuditLog audit)
{
    /// <returns><see cref="RunProgress.Parked"/>, or <see cref="RunProgress.Ended"/> when the agent asked for too many approvals.</returns>
    public async Task<RunProgress> ParkAsync(RunState state, ProposedToolCall call, CanonicalCall canonical, PolicyDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(decision);
        var (run, agent) = (state.Run, state.Agent);
        if (await limits.CheckApprovalAsync(agent.Id, run.Id, cancellationToken) is { } refusal)
        {
            // An agent asking people for more sign-offs than its hourly limit is runaway or fooled: it stops, audited.
            await runs.RecordToolCallAsync(new ToolCallRecord(run.Id, state.Turn, call.CallId, call.Function, canonical.ArgumentsJson, PolicyText.Outcome(decision.Outcome), decision.RuleIds, ToolCallOutcome.Denied, refusal.Message, call.ModelCallId, canonical.ArgumentsSha256), cancellationToken);
            await endings.EndAsync(run, RunStatus.Stopped, null, $"budget exceeded: {refusal.Message}", cancellationToken);
            return RunProgress.Ended;
        }

        var approval = await approvals.CreateAsync(run.Id, agent.Id, agent.Owner, call.CallId, call.Function, canonical.ArgumentsJson, decision.RuleIds, decision.Approvals, call.TaintSources, canonical.ArgumentsSha256, cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ApprovalRequested, AuditActor.Agent(agent.Id), agent.Id, run.Id, new()
        {
            ["approvalId"] = approval.Id,
            ["callId"] = call.CallId,
            ["function"] = call.Function,
            ["argumentsSha256"] = canonical.ArgumentsSha256,
            ["groups"] = new JsonArray([.. approval.RequiredGroups.Select(g => new JsonObject { ["group"] = g.Group, ["count"] = g.Count })]),
            ["expiresAt"] = approval.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["rules"] = new JsonArray([.. decision.RuleIds.Select(r => JsonValue.Create(r))]),
            ["tainted"] = new JsonArray([.. call.TaintedArguments.Order(StringComparer.Ordinal).Select(a => JsonValue.Create(a))]),
        }), cancellationToken);
        if (!await runs.ParkAsync(run.Id, cancellationToken))
        {
            // Stopped (kill switch, a person) while the approval was asked for: nobody will resume the run,
            // so the approval is cancelled and this call and the rest end cancelled here.
            await approvals.CancelPendingForRunAsync(run.Id, cancellationToken);
            await endings.EndAsync(run, RunStatus.Stopped, null, "stopped while asking for approval", cancellationToken);
            return RunProgress.Ended;
        }

        // Decided before the run parked: that decision's resumption found the run still running and left
        // it (ApprovalStore.ClaimResumeAsync), so the resumption is owed from here. A second one is harmless.
        if ((await approvals.GetAsync(approval.Id, cancellationToken))?.Status is { } status && status != ApprovalStatus.Pending)
        {
            dispatcher.Resume(approval.Id);
        }

        events.Requested(new ApprovalRequested(approval.Id, run.Id, agent.Id));
        return RunProgress.Parked;
    }
}
