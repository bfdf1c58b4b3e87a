using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
using AgentHost.Slack;
using AgentHost.Telemetry;
using Microsoft.SemanticKernel;

namespace AgentHost.Runs;

/// <summary>
/// Puts one proposed call through the gate under the host's identity: its arguments read against the
/// tool's declaration (malformed ones are denied by the gate, audited, not skipped), normalised into the
/// canonical call, checked against the agent's effects per minute, decided by the policy, then executed,
/// refused or parked for approval with that canonical call.
/// </summary>
public sealed class CallDecision(
    RunStore runs,
    ApprovalStore approvals,
    ToolGate gate,
    ToolCatalog catalog,
    AgentRateLimits limits,
    CallExecution execution,
    RunEndings endings,
    SlackNotifier notifier,
    IAuditLog audit,
    RunDispatcher dispatcher,
    TimeProvider time)
{
    /// <summary>False when the run parked or stopped and the loop must stop.</summary>
    public async Task<bool> HandleAsync(RunState state, ReplyCall reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reply);
        var (run, agent, call) = (state.Run, state.Agent, reply.Call);
        if ((await runs.GetAsync(run.Id, cancellationToken))?.Status != RunStatus.Running)
        {
            // Stopped (kill switch) between two calls: this one and the rest are closed as cancelled.
            await endings.EndAsync(run, RunStatus.Stopped, null, "stopped while its calls were handled (kill switch)", cancellationToken);
            return false;
        }

        var function = reply.Function;
        // A function the catalog does not know takes whatever names it was given: the policy denies it
        // (not granted), with its taint shown, rather than the argument check hiding what it was.
        var tool = catalog.TryGet(function, out var declared) ? declared : new ToolDescriptor(function, ToolEffect.Destructive, ToolReach.External, [.. (call.Arguments ?? []).Select(a => a.Key)], [], string.Empty);
        var effect = tool.Effect.ToString().ToLowerInvariant();
        var (arguments, malformed) = call.Exception is not null ? (null, "not valid JSON") : ProposedArguments.Read(tool, call.Arguments);
        if (arguments is null)
        {
            var raw = new ProposedToolCall(run.Id, state.Turn, reply.HostId, function, new Dictionary<string, ToolArgumentValue>(), ToolArguments.ToJson(call.Arguments), ProposedToolCall.Clean, reply.ModelCallId);
            return await RefuseAsync(state, reply, raw, ProposedArguments.MalformedRule, $"the arguments of {function} are malformed ({malformed}); call it again with valid arguments", [], cancellationToken);
        }

        var canonical = CanonicalCall.Create(function, arguments);
        var proposed = new ProposedToolCall(run.Id, state.Turn, reply.HostId, function, canonical.Arguments, canonical.ArgumentsJson, RunProvenance.From(state.History, agent).Trace(function, canonical.Arguments), reply.ModelCallId, canonical.ArgumentsSha256);
        if (tool.Effect != ToolEffect.Read && await limits.CheckEffectAsync(agent.Id, cancellationToken) is { } refusal)
        {
            var exceeded = new AuditEntry(AuditEventTypes.BudgetExceeded, AuditActor.System, agent.Id, run.Id, new()
            {
                ["budget"] = refusal.Limit,
                ["limit"] = refusal.Allowed,
                ["used"] = refusal.Used,
                ["callId"] = reply.HostId,
                ["retryAfterSeconds"] = (long)Math.Ceiling(refusal.RetryAfter.TotalSeconds),
            });
            return await RefuseAsync(state, reply, proposed, ToolCallHandler.BudgetRulePrefix + refusal.Limit, $"budget exceeded: {refusal.Message}", [exceeded], cancellationToken);
        }

        var now = time.GetUtcNow();
        var decision = await gate.DecideAsync(agent, run.Requester, proposed, d => RunStore.ToolCallWrite(new ToolCallRecord(
            run.Id,
            state.Turn,
            reply.HostId,
            function,
            canonical.ArgumentsJson,
            PolicyText.Outcome(d.Outcome),
            d.RuleIds,
            d.Outcome switch { PolicyOutcome.Deny => ToolCallOutcome.Denied, PolicyOutcome.RequireApproval => ToolCallOutcome.AwaitingApproval, _ => ToolCallOutcome.Requested },
            d.Outcome == PolicyOutcome.Allow ? null : d.Explanation,
            reply.ModelCallId,
            canonical.ArgumentsSha256,
            effect,
            d.Outcome == PolicyOutcome.Allow ? now : null)), cancellationToken);
        state.DecidedCalls++;
        switch (decision.Outcome)
        {
            case PolicyOutcome.Deny:
                AgentHostTelemetry.ToolCallEnded(Activity.Current, function, "deny", ToolCallOutcome.Denied, decision.RuleIds);
                state.History.Add(new FunctionResultContent(call, $"denied by policy: {decision.Explanation}").ToChatMessage());
                return true;
            case PolicyOutcome.RequireApproval:
                AgentHostTelemetry.ToolCallEnded(Activity.Current, function, "require_approval", ToolCallOutcome.AwaitingApproval, decision.RuleIds);
                await ParkAsync(state, proposed, canonical, decision, cancellationToken);
                return false;
        }

        return await execution.ExecuteAsync(state, call, canonical, proposed, PolicyText.Outcome(decision.Outcome), decision.RuleIds, effect, recorded: true, cancellationToken);
    }

    private async Task<bool> RefuseAsync(RunState state, ReplyCall reply, ProposedToolCall proposed, string rule, string explanation, IReadOnlyList<AuditEntry> alongside, CancellationToken cancellationToken)
    {
        await gate.RefuseAsync(state.Agent, proposed, rule, explanation, alongside, d => RunStore.ToolCallWrite(new ToolCallRecord(
            proposed.RunId, proposed.Turn, proposed.CallId, proposed.Function, proposed.ArgumentsJson, "deny", d.RuleIds, ToolCallOutcome.Denied, explanation, proposed.ModelCallId, proposed.ArgumentsSha256)), cancellationToken);
        AgentHostTelemetry.ToolCallEnded(Activity.Current, proposed.Function, "deny", ToolCallOutcome.Denied, [rule]);
        state.History.Add(new FunctionResultContent(reply.Call, $"denied: {explanation}").ToChatMessage());
        return true;
    }

    private async Task ParkAsync(RunState state, ProposedToolCall call, CanonicalCall canonical, PolicyDecision decision, CancellationToken cancellationToken)
    {
        var (run, agent) = (state.Run, state.Agent);
        if (await limits.CheckApprovalAsync(agent.Id, run.Id, cancellationToken) is { } refusal)
        {
            // An agent asking people for more sign-offs than its hourly limit is runaway or fooled: it stops, audited.
            await runs.RecordToolCallAsync(new ToolCallRecord(run.Id, state.Turn, call.CallId, call.Function, canonical.ArgumentsJson, PolicyText.Outcome(decision.Outcome), decision.RuleIds, ToolCallOutcome.Denied, refusal.Message, call.ModelCallId, canonical.ArgumentsSha256), cancellationToken);
            await endings.EndAsync(run, RunStatus.Stopped, null, $"budget exceeded: {refusal.Message}", cancellationToken);
            return;
        }

        // The approval holds the canonical call and its hash: the resumed run executes that, not the history.
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
        await runs.ParkAsync(run.Id, cancellationToken);

        // Decided before the run parked: that decision's resumption found the run still running and left
        // it (ApprovalStore.ClaimResumeAsync), so the resumption is owed from here. A second one is harmless.
        if ((await approvals.GetAsync(approval.Id, cancellationToken))?.Status is { } status && status != ApprovalStatus.Pending)
        {
            dispatcher.Resume(approval.Id);
        }

        notifier.ApprovalRequested(approval.Id);
    }
}
