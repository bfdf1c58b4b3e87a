using System.Text.Json.Nodes;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Content;

namespace AgentHost.Runs.Conversation;

/// <summary>Reads a run's conversation back from its audit events and the content they commit to.</summary>
public sealed class ConversationReader(AuditReader audit, AuditContentStore content)
{
    public async Task<ConversationView> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        var events = await audit.StreamAsync(new AuditFilter(RunId: runId), null, null, cancellationToken)
            .Where(e => e.Type is AuditEventTypes.ModelCalled or AuditEventTypes.ActionExecuted or AuditEventTypes.ActionFailed or AuditEventTypes.RunSucceeded)
            .ToListAsync(cancellationToken);
        var stored = new Dictionary<string, StoredContent>(await content.ReadAsync(events.SelectMany(e => ContentReferences.Of(e.Data)), cancellationToken), StringComparer.Ordinal);

        // Messages name the tool results they carried: read those too, in one more round trip.
        var nested = stored.Values.Where(c => c.Kind == AuditContentKind.Model && !c.Removed).SelectMany(c => ContentReferences.Of(c.Text()!)).Where(h => !stored.ContainsKey(h)).ToList();
        foreach (var (hash, piece) in await content.ReadAsync(nested, cancellationToken))
        {
            stored[hash] = piece;
        }

        var turns = new List<ConversationTurn>();
        var results = new List<ConversationToolResult>();
        ConversationText? output = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var data = JsonNode.Parse(e.Data)!.AsObject();
            switch (e.Type)
            {
                case AuditEventTypes.ModelCalled:
                    var sent = data["sent"] as JsonArray ?? [];
                    var fresh = sent.OfType<JsonObject>().Where(r => seen.Add(Hash(r))).Select(r => Message(r, stored)).ToList();
                    var reply = data["reply"] as JsonObject;
                    if (reply is not null)
                    {
                        seen.Add(Hash(reply));
                    }

                    turns.Add(new ConversationTurn(
                        Number(data["turn"]), e.Sequence, data["model"]?.GetValue<string>(), Number(data["inputTokens"]), Number(data["outputTokens"]), sent.Count, fresh, reply is null ? null : Message(reply, stored)));
                    break;
                case AuditEventTypes.RunSucceeded when data["output"] is JsonObject reference:
                    output = Text(reference, stored);
                    break;
                case AuditEventTypes.ActionExecuted or AuditEventTypes.ActionFailed when data["resultContent"] is JsonObject reference:
                    results.Add(new ConversationToolResult(e.Sequence, data["callId"]?.GetValue<string>() ?? "", data["function"]?.GetValue<string>() ?? "", Text(reference, stored)));
                    break;
            }
        }

        return new ConversationView(runId, turns, results, output);
    }

    /// <summary>Each piece one event commits to, in the order its data names them, as stored (a message is its JSON).</summary>
    public async Task<IReadOnlyList<ConversationText>> ContentOfAsync(AuditEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        var hashes = ContentReferences.Of(e.Data);
        if (hashes.Count == 0)
        {
            return [];
        }

        var stored = new Dictionary<string, StoredContent>(await content.ReadAsync(hashes, cancellationToken), StringComparer.Ordinal);
        var references = new List<JsonObject>();
        Collect(JsonNode.Parse(e.Data), references);
        return [.. references.Select(r => Text(r, stored))];
    }

    private static void Collect(JsonNode? node, List<JsonObject> into)
    {
        switch (node)
        {
            case JsonObject obj when obj[AuditContent.HashMember] is JsonValue:
                into.Add(obj);
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Collect(value, into);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, into);
                }

                break;
        }
    }

    private static ConversationMessage Message(JsonObject reference, Dictionary<string, StoredContent> stored)
    {
        var text = Text(reference, stored);
        if (text.Text is null)
        {
            return new ConversationMessage("?", null, [], [], text with { Text = null });
        }

        var message = JsonNode.Parse(text.Text)!.AsObject();
        var calls = (message["calls"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => new ConversationCall(c["id"]?.GetValue<string>() ?? "", c["function"]?.GetValue<string>() ?? "", c["arguments"]?.ToJsonString() ?? "{}")).ToList();
        var answers = (message["results"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(r => new ConversationResult(r["callId"]?.GetValue<string>() ?? "", r["function"]?.GetValue<string>() ?? "", r["result"] is JsonObject result ? Text(result, stored) : Missing(""))).ToList();
        return new ConversationMessage(message["role"]?.GetValue<string>() ?? "?", message["text"]?.GetValue<string>(), calls, answers, text with { Text = null });
    }

    private static ConversationText Text(JsonObject reference, Dictionary<string, StoredContent> stored)
    {
        var hash = Hash(reference);
        var bytes = Number(reference["bytes"]);
        var original = reference["originalBytes"] is { } o ? Number(o) : (long?)null;
        if (!stored.TryGetValue(hash, out var piece))
        {
            return new ConversationText(hash, bytes, original, "missing", null);
        }

        return piece.Removed
            ? new ConversationText(hash, bytes, original, "removed", null)
            : new ConversationText(hash, bytes, original, "held", piece.Text());
    }

    private static ConversationText Missing(string hash) => new(hash, 0, null, "missing", null);

    private static string Hash(JsonObject reference) => reference[AuditContent.HashMember]?.GetValue<string>() ?? "";

    private static long Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;
}
