using System.Diagnostics;
using AgentHost.Core.Audit;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
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
    ToolGate gate,
    ToolCatalog catalog,
    AgentRateLimits limits,
    CallExecution execution,
    RunEndings endings,
    ApprovalParking parking,
    DryRunCalls dryRun,
    TimeProvider time)
{
    /// <summary>The rule of a call to a tool that cannot be called now (an MCP tool awaiting approval): refused before any policy reads it.</summary>
    public const string UnavailableRule = "builtin:tool-unavailable";

    public async Task<RunProgress> HandleAsync(RunState state, ReplyCall reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reply);
        var (run, agent, call) = (state.Run, state.Agent, reply.Call);
        if ((await runs.GetAsync(run.Id, cancellationToken))?.Status != RunStatus.Running)
        {
            // Stopped (kill switch, or the run stopped by a person) between two calls: this one and the rest are closed as cancelled.
            await state.SettleAsync();
            await endings.EndAsync(run, RunStatus.Stopped, null, "stopped while its calls were handled (kill switch or stop)", cancellationToken);
            return RunProgress.Ended;
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

        var canonical = CanonicalCall.Create(catalog, function, arguments);
        var proposed = new ProposedToolCall(run.Id, state.Turn, reply.HostId, function, canonical.Arguments, canonical.ArgumentsJson, RunProvenance.From(state.History, agent).Trace(declared, canonical.Arguments), reply.ModelCallId, canonical.ArgumentsSha256);
        if (tool.Unavailable is { } unavailable)
        {
            return await RefuseAsync(state, reply, proposed, UnavailableRule, $"{function} is unavailable: {unavailable}", [], cancellationToken);
        }

        if (DryRunCalls.Applies(state, tool))
        {
            var dry = await dryRun.DecideAsync(state, reply, proposed, canonical, effect, cancellationToken);
            await state.SettleAsync();
            return dry;
        }

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

        // The writer commits in order: the previous call's deferred outcome was in this commit or an
        // earlier one, so this costs no wait; it throws if that outcome was lost, before anything executes.
        await state.SettleAsync();
        state.DecidedCalls++;
        switch (decision.Outcome)
        {
            case PolicyOutcome.Deny:
                AgentHostTelemetry.ToolCallEnded(Activity.Current, function, "deny", ToolCallOutcome.Denied, decision.RuleIds);
                state.History.Add(new FunctionResultContent(call, $"denied by policy: {decision.Explanation}").ToChatMessage());
                return RunProgress.Continues;
            case PolicyOutcome.RequireApproval:
                AgentHostTelemetry.ToolCallEnded(Activity.Current, function, "require_approval", ToolCallOutcome.AwaitingApproval, decision.RuleIds);
                return await parking.ParkAsync(state, proposed, canonical, decision, cancellationToken);
        }

        return await execution.ExecuteAsync(state, call, canonical, proposed, PolicyText.Outcome(decision.Outcome), decision.RuleIds, effect, recorded: true, cancellationToken);
    }

    private async Task<RunProgress> RefuseAsync(RunState state, ReplyCall reply, ProposedToolCall proposed, string rule, string explanation, IReadOnlyList<AuditEntry> alongside, CancellationToken cancellationToken)
    {
        await gate.RefuseAsync(state.Agent, proposed, rule, explanation, alongside, d => RunStore.ToolCallWrite(new ToolCallRecord(
            proposed.RunId, proposed.Turn, proposed.CallId, proposed.Function, proposed.ArgumentsJson, "deny", d.RuleIds, ToolCallOutcome.Denied, explanation, proposed.ModelCallId, proposed.ArgumentsSha256)), cancellationToken);
        await state.SettleAsync();
        AgentHostTelemetry.ToolCallEnded(Activity.Current, proposed.Function, "deny", ToolCallOutcome.Denied, [rule]);
        state.History.Add(new FunctionResultContent(reply.Call, $"denied: {explanation}").ToChatMessage());
        return RunProgress.Continues;
    }
}
