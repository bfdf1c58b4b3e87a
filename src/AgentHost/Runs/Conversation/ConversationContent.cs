using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Redaction;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Runs.Conversation;

/// <summary>
/// Turns what the model was sent and answered, the tools' results and a run's output into trail content
/// (<see cref="AuditContent"/>), each text field redacted before it is hashed. A tool's result message names
/// the result's own content instead of repeating it, so a result is stored once however many turns send it.
/// </summary>
public sealed class ConversationContent(SecretRedactor redactor, IOptions<AuditOptions> options)
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Messages are immutable once in the history: each is turned into content once per process.
    private readonly ConditionalWeakTable<ChatMessageContent, MessagePieces> _messages = [];

    private int MaxBytes => options.Value.ContentMaxBytes;

    public AuditContent ToolResult(string text) => AuditContent.Create(AuditContentKind.ToolResult, redactor.Redact(text), MaxBytes);

    public AuditContent Output(string text) => AuditContent.Create(AuditContentKind.Output, redactor.Redact(text), MaxBytes);

    /// <summary>A message as content, with the tool results it names (stored beside it).</summary>
    public MessagePieces Message(ChatMessageContent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _messages.GetValue(message, Build);
    }

    /// <summary>The content of one model call: references for the event and the pieces to store with it.</summary>
    public TurnContent Turn(IEnumerable<ChatMessageContent> sent, ChatMessageContent reply)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var pieces = new List<AuditContent>();
        var references = new JsonArray();
        foreach (var message in sent)
        {
            var parts = Message(message);
            references.Add(parts.Message.Reference());
            pieces.Add(parts.Message);
            pieces.AddRange(parts.Results);
        }

        var answer = Message(reply);
        pieces.Add(answer.Message);
        pieces.AddRange(answer.Results);
        return new TurnContent(references, answer.Message.Reference(), pieces);
    }

    private MessagePieces Build(ChatMessageContent message)
    {
        var results = new List<AuditContent>();
        var json = new JsonObject { ["role"] = message.Role.Label };
        var text = string.Concat(message.Items.OfType<TextContent>().Select(t => t.Text));
        if (text.Length > 0)
        {
            json["text"] = redactor.Redact(text);
        }

        var calls = new JsonArray();
        foreach (var call in message.Items.OfType<FunctionCallContent>())
        {
            calls.Add(new JsonObject
            {
                ["id"] = call.Id,
                ["function"] = Name(call.PluginName, call.FunctionName),
                ["arguments"] = redactor.Redact(JsonSerializer.SerializeToNode(call.Arguments?.ToDictionary(a => a.Key, a => a.Value), Compact)),
            });
        }

        if (calls.Count > 0)
        {
            json["calls"] = calls;
        }

        var answers = new JsonArray();
        foreach (var result in message.Items.OfType<FunctionResultContent>())
        {
            var content = ToolResult(result.Result?.ToString() ?? string.Empty);
            results.Add(content);
            answers.Add(new JsonObject { ["callId"] = result.CallId, ["function"] = Name(result.PluginName, result.FunctionName), ["result"] = content.Reference() });
        }

        if (answers.Count > 0)
        {
            json["results"] = answers;
        }

        return new MessagePieces(AuditContent.Create(AuditContentKind.Model, AuditCanonicalForm.CanonicalData(json), MaxBytes), results);
    }

    private static string Name(string? plugin, string? function) => plugin is null ? function ?? string.Empty : $"{plugin}.{function}";
}

/// <summary>A message's content and the tool results it names.</summary>
public sealed record MessagePieces(AuditContent Message, IReadOnlyList<AuditContent> Results);

/// <summary>What a model.called event commits to: the messages sent in order, the reply, and every piece to store.</summary>
public sealed record TurnContent(JsonArray Sent, JsonObject Reply, IReadOnlyList<AuditContent> Pieces);
