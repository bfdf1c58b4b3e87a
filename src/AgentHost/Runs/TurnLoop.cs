using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using AgentHost.Runs.Conversation;
using AgentHost.Telemetry;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace AgentHost.Runs;

/// <summary>
/// The turns of a run: each asks the model (function calling, auto-invoke off), gives the reply's calls
/// the host's identity and a record, checks the token budget and hands the calls to the
/// <see cref="ToolCallHandler"/>, until the model answers without calls, a budget is spent, or a call
/// parks or ends the run.
/// </summary>
public sealed class TurnLoop(RunStore runs, AgentStore agents, ToolCallHandler calls, RunEndings endings, IAuditLog audit, ConversationContent conversation, TimeProvider time)
{
    public async Task RunAsync(RunState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (run, agent, budgets) = (state.Run, state.Agent, state.Budgets);
        var chat = state.Kernel.GetRequiredService<IChatCompletionService>();
        var ledger = state.Kernel.GetRequiredService<ModelCallLedger>();

        // RetainArgumentTypes keeps a recipient list a list; by default SK flattens every argument to text,
        // and the policy would read '["a@x"]' as one address. RunTests fail if an upgrade changes this.
#pragma warning disable SKEXP0001
        var settings = new OpenAIPromptExecutionSettings
        {
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false, options: new FunctionChoiceBehaviorOptions { RetainArgumentTypes = true }),
        };
#pragma warning restore SKEXP0001
        while (state.Turn < budgets.MaxTurns)
        {
            if ((await agents.GetAsync(agent.Id, cancellationToken))?.Disabled != false)
            {
                await EndAsync(state, RunStatus.Stopped, null, "the agent was disabled (kill switch)", cancellationToken);
                return;
            }

            // Stopped by a person (RunStopper) since the last turn: no further model call; its open calls are closed.
            if ((await runs.GetAsync(run.Id, cancellationToken))?.Status is not RunStatus.Running)
            {
                await EndAsync(state, RunStatus.Stopped, null, "the run was stopped", cancellationToken);
                return;
            }

            state.Turn++;
            using var turnSpan = AgentHostTelemetry.StartTurn(run.Id, state.Turn);
            ChatMessageContent reply;
            try
            {
                // The last calls' outcomes commit while the model thinks; they are settled before anything is written.
                reply = await chat.GetChatMessageContentAsync(state.History, settings, state.Kernel, cancellationToken);
            }
            catch (ModelEndpointException ex)
            {
                await EndAsync(state, RunStatus.Failed, null, ex.Message, cancellationToken);
                return;
            }

            await state.SettleAsync();

            var (turnIn, turnOut) = ledger.Take();

            state.InputTokens += turnIn;
            state.OutputTokens += turnOut;

            // Every call gets the host's identity and a record before any is decided or the budget is checked.
            var (message, proposed) = ReplyCalls.Renumber(reply, state.Turn);
            var content = conversation.Turn(state.History, message);
            state.History.Add(message);

            // One commit for the turn: the event naming every message sent and the reply by hash, their
            // content, a record of each proposed call (before any is decided) and the history.
            var unstored = content.Pieces.Where(p => !state.StoredContent.Contains(p.Sha256)).ToList();
            await audit.AppendAsync(
                [
                    new AuditEntry(AuditEventTypes.ModelCalled, AuditActor.Agent(agent.Id), agent.Id, run.Id, new()
                    {
                        ["turn"] = state.Turn,
                        ["model"] = reply.ModelId,
                        ["inputTokens"] = turnIn,
                        ["outputTokens"] = turnOut,
                        ["toolCalls"] = proposed.Count,
                        ["sent"] = content.Sent,
                        ["reply"] = content.Reply,
                    }),
                ],
                StoreWrite.Chain(StoreWrite.Chain(RunStore.ProposedWrite([.. proposed.Select(c => Proposed(state, c))]), AuditContentStore.Write(unstored, time.GetUtcNow())), ToolCallHandler.ProgressWrite(state)),
                cancellationToken);
            state.StoredContent.UnionWith(unstored.Select(p => p.Sha256));
            if (state.InputTokens + state.OutputTokens > budgets.TokensPerRun)
            {
                await endings.BudgetExceededAsync(run, "tokensPerRun", budgets.TokensPerRun, state.InputTokens + state.OutputTokens, cancellationToken);
                return;
            }

            if (proposed.Count == 0)
            {
                await endings.EndAsync(run, RunStatus.Succeeded, reply.Content, null, cancellationToken);
                return;
            }

            if (await HandleCallsAsync(state, null, cancellationToken) != RunProgress.Continues)
            {
                return;
            }
        }

        await state.SettleAsync();
        await endings.BudgetExceededAsync(run, "maxTurns", budgets.MaxTurns, budgets.MaxTurns, cancellationToken);
    }

    /// <summary>The open calls of the last reply; the run stops once they are handled if they spent its call budget.</summary>
    /// <param name="settled">The approval the run was resumed with: its call is settled first, without the gate.</param>
    public async Task<RunProgress> HandleCallsAsync(RunState state, Approval? settled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var progress = await calls.HandleOpenCallsAsync(state, settled, cancellationToken);
        if (progress != RunProgress.Continues)
        {
            return progress;
        }

        if (state.RunBudgetSpent)
        {
            await state.SettleAsync();
            await endings.BudgetExceededAsync(state.Run, "maxToolCallsPerRun", state.Budgets.MaxToolCallsPerRun, state.DecidedCalls, cancellationToken);
            return RunProgress.Ended;
        }

        return RunProgress.Continues;
    }

    private async Task EndAsync(RunState state, RunStatus status, string? output, string? reason, CancellationToken cancellationToken)
    {
        await state.SettleAsync();
        await endings.EndAsync(state.Run, status, output, reason, cancellationToken);
    }

    private static ToolCallRecord Proposed(RunState state, ReplyCall call) =>
        new(state.Run.Id, state.Turn, call.HostId, call.Function, ToolArguments.ToJson(call.Call.Arguments), "none", [], ToolCallOutcome.Proposed, null, call.ModelCallId);
}
