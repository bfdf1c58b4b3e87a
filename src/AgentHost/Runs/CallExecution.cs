using System.Diagnostics;
using AgentHost.Core.Audit;
using AgentHost.Core.Gate;
using AgentHost.Core.Redaction;
using AgentHost.Core.Runs;
using AgentHost.Runs.Conversation;
using AgentHost.Telemetry;
using Microsoft.SemanticKernel;

namespace AgentHost.Runs;

/// <summary>
/// Executes one call the gate allowed or people approved: exactly its canonical arguments, under a
/// ticket bound to the run, the call id and their hash. Whatever happens, the call ends with a final
/// outcome: executed or failed from the plugin's answer, outcome_unknown when the run was cut off (wall
/// time, shutdown) or the plugin blew up while the call was in flight.
/// </summary>
public sealed class CallExecution(RunStore runs, ToolGate gate, RunEndings endings, SecretRedactor redactor, IAuditLog audit, ConversationContent conversation, TimeProvider time)
{
    /// <param name="effect">The tool's declared effect, stored with the start so effects per minute can be counted.</param>
    /// <param name="recorded">Whether the gate already recorded the call as requested (false for an approved call).</param>
    public async Task<RunProgress> ExecuteAsync(RunState state, FunctionCallContent call, CanonicalCall canonical, ProposedToolCall proposed, string decision, IReadOnlyList<string> rules, string effect, bool recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(proposed);
        var (run, agent) = (state.Run, state.Agent);

        // Nothing executes while an earlier write of the run may still be lost (after a decision this is already so).
        await state.SettleAsync();
        if ((await runs.GetAsync(run.Id, cancellationToken))?.Status != RunStatus.Running)
        {
            // The kill switch stopped the run while this turn was being decided: nothing more executes.
            await endings.EndAsync(run, RunStatus.Stopped, null, "stopped while its calls were handled (kill switch or stop)", cancellationToken);
            return RunProgress.Ended;
        }

        var record = new ToolCallRecord(run.Id, state.Turn, proposed.CallId, proposed.Function, canonical.ArgumentsJson, decision, rules, ToolCallOutcome.Requested, null, proposed.ModelCallId, canonical.ArgumentsSha256, effect, time.GetUtcNow());
        if (!recorded)
        {
            await runs.RecordToolCallAsync(record, cancellationToken);
        }

        var ticket = new GateTicket(proposed.Function, proposed.CallId, agent.Id, run.Id, canonical.ArgumentsSha256);
        string text;
        try
        {
            var function = state.Kernel.Plugins.GetFunction(call.PluginName, call.FunctionName);
            using (GateTicket.Issue(ticket))
            {
                text = (await function.InvokeAsync(state.Kernel, ToolArguments.ForInvocation(canonical), cancellationToken)).GetValue<string>() ?? string.Empty;
            }
        }
        catch (Exception ex)
        {
            // Once the filter let the call through, its effect may exist whatever the exception says.
            var (outcome, type) = ticket.Redeemed ? (ToolCallOutcome.OutcomeUnknown, AuditEventTypes.ActionOutcomeUnknown) : (ToolCallOutcome.Failed, AuditEventTypes.ActionFailed);
            var why = ticket.Redeemed ? $"stopped while in flight ({ex.GetType().Name}); check its effect" : $"not executed: {ex.GetType().Name}";
            await audit.AppendAsync(
                [new AuditEntry(type, AuditActor.Agent(agent.Id), agent.Id, run.Id, new() { ["callId"] = proposed.CallId, ["function"] = proposed.Function, ["result"] = why })],
                RunStore.ToolCallWrite(record with { Outcome = outcome, ResultSummary = why }),
                CancellationToken.None);
            AgentHostTelemetry.ToolCallEnded(Activity.Current, proposed.Function, decision, outcome, rules);
            throw;
        }

        // A result (or an error) can quote a credential: someone pasted it in Slack, a library put it in a
        // message. The host's own secrets and well-known token shapes are masked before the model, the
        // stored history or the run page see it (found by tests/AgentHost.Tests/Security/SecretsTests).
        text = redactor.Redact(text);
        var succeeded = ticket.Result?.Succeeded ?? false;
        var outcomeRecord = record with { Outcome = succeeded ? ToolCallOutcome.Executed : ToolCallOutcome.Failed, ResultSummary = Summary(text) };
        var result = conversation.ToolResult(text);

        // The effect happened: its record commits with the writer's next group commit, not awaited here
        // (RunState.Defer). A crash before that commit leaves the call requested, closed as outcome_unknown.
        state.Defer(gate.RecordOutcomeAsync(agent, proposed, succeeded, Summary(text), result, RunStore.ToolCallWrite(outcomeRecord), time.GetUtcNow(), CancellationToken.None));
        state.StoredContent.Add(result.Sha256);
        AgentHostTelemetry.ToolCallEnded(Activity.Current, proposed.Function, decision, outcomeRecord.Outcome, rules);
        state.History.Add(new FunctionResultContent(call, text).ToChatMessage());
        return RunProgress.Continues;
    }

    private static string Summary(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
