using System.ClientModel;
using System.Diagnostics;
using AgentHost.Core.Runs;
using AgentHost.Telemetry;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace AgentHost.Runs;

/// <summary>One model call of a run's turn, in its own span, with the tokens it cost; a failed endpoint ends the run.</summary>
public sealed class ModelCalls(RunEndings endings, IOptions<ModelOptions> model, TimeProvider time)
{
    /// <summary>The reply and its tokens; null when the endpoint failed and the run has ended.</summary>
    public async Task<(ChatMessageContent Reply, long InputTokens, long OutputTokens)?> CallAsync(RunState state, IChatCompletionService chat, OpenAIPromptExecutionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(chat);
        using var span = AgentHostTelemetry.StartModelCall(state.Run.Id, model.Value.Name);
        var started = time.GetTimestamp();
        string failure;
        try
        {
            var reply = await chat.GetChatMessageContentAsync(state.History, settings, state.Kernel, cancellationToken);
            var (input, output) = Usage(reply);
            AgentHostTelemetry.ModelCalled(span, time.GetElapsedTime(started), input, output);
            return (reply, input, output);
        }
        catch (HttpOperationException ex)
        {
            failure = $"the model endpoint failed: {(int?)ex.StatusCode} {ex.StatusCode}";
        }
        catch (ClientResultException ex)
        {
            failure = $"the model endpoint failed: {ex.Status}";
        }

        span?.SetStatus(ActivityStatusCode.Error, failure);
        await endings.EndAsync(state.Run, RunStatus.Failed, null, failure, cancellationToken);
        return null;
    }

    private static (long Input, long Output) Usage(ChatMessageContent reply) =>
        reply.Metadata?.GetValueOrDefault("Usage") is OpenAI.Chat.ChatTokenUsage usage ? (usage.InputTokenCount, usage.OutputTokenCount) : (0, 0);
}
