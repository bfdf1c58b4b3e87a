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
/// The write and destructive calls of a dry run ("Test run"): decided by the gate under the real policy
/// set, recorded and audited like any call, then NOT executed, not parked and not sent to approvers. The
/// call ends as dry_run with what would have happened ("would execute", "would need approval by
/// deploy-approvers", "would be denied: …"), and the model is told the same, so the run goes on as it
/// would. Reads execute as in a real run: a test that cannot read shows nothing.
/// </summary>
public sealed class DryRunCalls(ToolGate gate, IAuditLog audit)
{
    /// <summary>Whether this call of this run is decided here instead of executed.</summary>
    public static bool Applies(RunState state, ToolDescriptor tool) =>
        state is { Run.DryRun: true } && tool is not { Effect: ToolEffect.Read };

    public async Task<RunProgress> DecideAsync(RunState state, ReplyCall reply, ProposedToolCall proposed, CanonicalCall canonical, string effect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(canonical);
        var (run, agent) = (state.Run, state.Agent);
        // No start time: a call that never executes does not count against the agent's effects per minute.
        var decision = await gate.DecideAsync(agent, run.Requester, proposed, d => RunStore.ToolCallWrite(new ToolCallRecord(
            run.Id, state.Turn, reply.HostId, proposed.Function, canonical.ArgumentsJson, PolicyText.Outcome(d.Outcome), d.RuleIds,
            ToolCallOutcome.DryRun, WouldBe(d), reply.ModelCallId, canonical.ArgumentsSha256, effect)), cancellationToken);
        state.DecidedCalls++;
        var wouldBe = WouldBe(decision);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ActionDryRun, AuditActor.System, agent.Id, run.Id, new()
        {
            ["callId"] = reply.HostId,
            ["function"] = proposed.Function,
            ["decision"] = PolicyText.Outcome(decision.Outcome),
            ["result"] = wouldBe,
        }), cancellationToken);
        AgentHostTelemetry.ToolCallEnded(Activity.Current, proposed.Function, PolicyText.Outcome(decision.Outcome), ToolCallOutcome.DryRun, decision.RuleIds);
        state.History.Add(new FunctionResultContent(reply.Call, $"dry run (a test): nothing was done; in a real run this call {wouldBe}").ToChatMessage());
        return RunProgress.Continues;
    }

    /// <summary>"would execute", "would need approval by deploy-approvers", "would be denied: …".</summary>
    public static string WouldBe(PolicyDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Outcome switch
        {
            PolicyOutcome.Allow => "would execute",
            PolicyOutcome.RequireApproval => $"would need approval by {string.Join(" and ", decision.Approvals.Select(a => a.Count > 1 ? $"{a.Count} of {a.Group}" : a.Group))}",
            _ => $"would be denied: {decision.Explanation}",
        };
    }
}
