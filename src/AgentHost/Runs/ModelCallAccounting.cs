using System.ClientModel;
using System.Diagnostics;
using AgentHost.Telemetry;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Runs;

/// <summary>
/// Accounting and telemetry for every model call of a run, as a decorator around the chat service that
/// speaks to the endpoint (the DelegatingChatClient pattern, over Semantic Kernel's chat service): each
/// call gets its span, its latency and its tokens (span tags, metrics, the run's
/// <see cref="ModelCallLedger"/>); an endpoint that fails is reported as a
/// <see cref="ModelEndpointException"/> whose message the run fails with.
/// </summary>
/// <remarks>
/// Not a Microsoft.Extensions.AI DelegatingChatClient bridged with AsChatCompletionService: SK 1.82's
/// bridge advertises tools as plugin_function where its OpenAI connector sends plugin-function, a change
/// on the wire that broke the reading of every reply naming a tool (33 run, approval and Slack tests).
/// </remarks>
public sealed class ModelCallAccounting(IChatCompletionService inner, string runId, string model, ModelCallLedger ledger, TimeProvider time) : IChatCompletionService
{
    public IReadOnlyDictionary<string, object?> Attributes => inner.Attributes;

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        using var span = AgentHostTelemetry.StartModelCall(runId, model);
        var started = time.GetTimestamp();
        string failure;
        Exception cause;
        try
        {
            var replies = await inner.GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken);
            var (input, output) = (replies.Sum(r => Usage(r).Input), replies.Sum(r => Usage(r).Output));
            AgentHostTelemetry.ModelCalled(span, time.GetElapsedTime(started), input, output);
            ledger.Record(input, output);
            return replies;
        }
        catch (HttpOperationException ex)
        {
            (failure, cause) = ($"the model endpoint failed: {(int?)ex.StatusCode} {ex.StatusCode}", ex);
        }
        catch (ClientResultException ex)
        {
            (failure, cause) = ($"the model endpoint failed: {ex.Status}", ex);
        }

        span?.SetStatus(ActivityStatusCode.Error, failure);
        throw new ModelEndpointException(failure, cause);
    }

    /// <summary>The run loop never streams; a stream would bypass the accounting, so it is refused.</summary>
    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("runs call the model without streaming, so every call is accounted for");

    private static (long Input, long Output) Usage(ChatMessageContent reply) =>
        reply.Metadata?.GetValueOrDefault("Usage") is OpenAI.Chat.ChatTokenUsage usage ? (usage.InputTokenCount, usage.OutputTokenCount) : (0, 0);
}
