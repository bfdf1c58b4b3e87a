using System.Diagnostics;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Gate;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
using AgentHost.Telemetry;
using Microsoft.SemanticKernel;

namespace AgentHost.Runs;

/// <summary>
/// Settles the call a decided approval was about. What runs is the call stored in the approval (its
/// canonical arguments, checked against their hash), never the copy in the run's history, which is
/// mutable state. If the history's open call and the approval disagree (call id, function, arguments)
/// or the approval no longer matches its own hash, nothing runs and the run fails closed, audited.
/// </summary>
public sealed class ApprovalSettlement(RunStore runs, ToolCatalog catalog, CallExecution execution, RunEndings endings, IAuditLog audit)
{
    /// <param name="open">The first open call of the run's history: the one the run parked on.</param>
    public async Task<RunProgress> SettleAsync(RunState state, ReplyCall? open, Approval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(approval);
        var stored = CanonicalCall.Parse(approval.Function, approval.Arguments, approval.ArgumentsSha256);
        if (Mismatch(stored, open, approval) is { } mismatch)
        {
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.ApprovalMismatch, AuditActor.System, state.Agent.Id, state.Run.Id, new()
            {
                ["approvalId"] = approval.Id,
                ["callId"] = approval.CallId,
                ["function"] = approval.Function,
                ["argumentsSha256"] = approval.ArgumentsSha256,
                ["historyCallId"] = open?.HostId,
                ["reason"] = mismatch,
            }), cancellationToken);
            await endings.EndAsync(state.Run, RunStatus.Failed, null, $"approval {approval.Id} does not match the run: {mismatch}; nothing was executed", cancellationToken);
            return RunProgress.Ended;
        }

        var call = open!.Call;
        var proposed = new ProposedToolCall(state.Run.Id, state.Turn, approval.CallId, approval.Function, stored!.Arguments, stored.ArgumentsJson, approval.TaintSources ?? ProposedToolCall.Clean, open.ModelCallId, stored.ArgumentsSha256);
        if (approval.Status == ApprovalStatus.Approved)
        {
            var effect = catalog.TryGet(approval.Function, out var tool) ? tool.Effect.ToString().ToLowerInvariant() : "destructive";
            return await execution.ExecuteAsync(state, call, stored, proposed, "require_approval", approval.Rules, effect, recorded: false, cancellationToken);
        }

        var outcome = approval.Status == ApprovalStatus.Expired ? ToolCallOutcome.Expired : ToolCallOutcome.Rejected;
        var why = approval.Status == ApprovalStatus.Expired
            ? "nobody approved it before the approval expired"
            : $"rejected by {string.Join(", ", approval.Votes.Where(v => v.Decision == "reject").Select(v => v.Approver + (v.Comment is { Length: > 0 } c ? $" ({c})" : string.Empty)))}";
        await runs.RecordToolCallAsync(new ToolCallRecord(state.Run.Id, state.Turn, approval.CallId, approval.Function, approval.Arguments, "require_approval", approval.Rules, outcome, why, open.ModelCallId, approval.ArgumentsSha256), cancellationToken);
        AgentHostTelemetry.ToolCallEnded(Activity.Current, approval.Function, "require_approval", outcome, approval.Rules);
        state.History.Add(new FunctionResultContent(call, $"not done: {why}").ToChatMessage());
        return RunProgress.Continues;
    }

    private string? Mismatch(CanonicalCall? stored, ReplyCall? open, Approval approval)
    {
        if (stored is null)
        {
            return "the approval's stored arguments do not match their SHA-256 (edited, or made before calls were hashed)";
        }

        if (open is null || open.Call.Id != approval.CallId)
        {
            return $"the run's open call is {open?.Call.Id ?? "missing"}, the approval is for {approval.CallId}";
        }

        if (open.Function != approval.Function)
        {
            return $"the run's open call is {open.Function}, the approval is for {approval.Function}";
        }

        // The history's copy must still say what was approved: a difference means someone edited the store.
        var read = open.Call.Exception is null && catalog.TryGet(approval.Function, out var tool) ? ProposedArguments.Read(tool, open.Call.Arguments).Arguments : null;
        return read is not null && CanonicalCall.Create(catalog, approval.Function, read).ArgumentsSha256 == stored.ArgumentsSha256
            ? null
            : "the run's history shows other arguments than were approved";
    }
}
