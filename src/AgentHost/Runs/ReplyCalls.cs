using System.Text.Json;
using AgentHost.Core.Gate;
using AgentHost.Core.Tools;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Runs;

/// <summary>One call of a model reply under the host's identity: its position, the host's id, the model's id (correlation only).</summary>
public sealed record ReplyCall(int Index, FunctionCallContent Call, string? ModelCallId)
{
    public string HostId => Call.Id!;

    public string Function => ToolDescriptor.NameOfKernel(Call.PluginName, Call.FunctionName);
}

/// <summary>
/// Gives the calls of a model reply the host's identity before anything is decided, and finds the calls
/// of the last reply that are still open. The reply is stored with the host's ids in place of the
/// model's, so the history stays valid for the chat API (every tool result answers exactly one call id
/// of the assistant message before it) however the model numbered its calls.
/// </summary>
public static class ReplyCalls
{
    private const string ModelIdKey = "agenthost.modelCallId";

    /// <summary>The reply as it is kept: its text and its calls, renumbered; the connector's copy of the raw calls is dropped.</summary>
    public static (ChatMessageContent Message, IReadOnlyList<ReplyCall> Calls) Renumber(ChatMessageContent reply, int turn)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var message = new ChatMessageContent(AuthorRole.Assistant, items: [], modelId: reply.ModelId);
        var calls = new List<ReplyCall>();
        foreach (var item in reply.Items)
        {
            if (item is FunctionCallContent call)
            {
                var modelId = CallIdentity.Correlation(call.Id);
                var renumbered = new FunctionCallContent(call.FunctionName, call.PluginName, CallIdentity.HostId(turn, calls.Count), call.Arguments)
                {
                    Exception = call.Exception,
                    Metadata = modelId is null ? null : new Dictionary<string, object?> { [ModelIdKey] = modelId },
                };
                message.Items.Add(renumbered);
                calls.Add(new ReplyCall(calls.Count, renumbered, modelId));
            }
            else if (item is TextContent text)
            {
                message.Items.Add(new TextContent(text.Text));
            }
        }

        return (message, calls);
    }

    /// <summary>The calls of the last assistant message that have no result yet, in order, with their positions.</summary>
    public static IReadOnlyList<ReplyCall> Open(ChatHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var answered = history.SelectMany(m => m.Items.OfType<FunctionResultContent>()).Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        var last = history.LastOrDefault(m => m.Role == AuthorRole.Assistant);
        return last is null ? [] : [.. FunctionCallContent.GetFunctionCalls(last)
            .Select((c, i) => new ReplyCall(i, c, ModelId(c)))
            .Where(c => c.Call.Id is null || !answered.Contains(c.Call.Id))];
    }

    private static string? ModelId(FunctionCallContent call) => call.Metadata?.GetValueOrDefault(ModelIdKey) switch
    {
        string text => CallIdentity.Correlation(text),
        JsonElement { ValueKind: JsonValueKind.String } element => CallIdentity.Correlation(element.GetString()),
        _ => null,
    };
}
