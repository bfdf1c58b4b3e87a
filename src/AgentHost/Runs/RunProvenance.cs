using System.Text.Json;
using AgentHost.Core.Agents;
using AgentHost.Core.Provenance;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Runs;

/// <summary>
/// Builds a run's taint tracker from its persisted chat history, so a resumed run (another job, another
/// host) knows exactly what the first one had read: trusted are the owner's instructions, the
/// requester's input and the granted scopes; untrusted is every tool result marked so.
/// </summary>
public static class RunProvenance
{
    public static TaintTracker From(ChatHistory history, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(agent);
        var trusted = history.Where(m => m.Role == AuthorRole.System || m.Role == AuthorRole.User).Select(m => m.Content ?? string.Empty)
            .Concat((agent.Definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>()).SelectMany(s => s.Value));
        var tracker = new TaintTracker(trusted);
        foreach (var result in history.SelectMany(m => m.Items.OfType<FunctionResultContent>()))
        {
            if (Envelope(result.Result?.ToString()) is { Untrusted: true } envelope)
            {
                tracker.AddUntrusted($"{envelope.Source} ({result.CallId})", envelope.Content);
            }
        }

        return tracker;
    }

    private static (string Source, bool Untrusted, string Content)? Envelope(string? text)
    {
        if (text is null || !text.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            return root.TryGetProperty("untrusted", out var untrusted) && untrusted.ValueKind == JsonValueKind.True
                ? (root.GetProperty("source").GetString() ?? "tool", true, root.GetProperty("content").GetString() ?? string.Empty)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
