using System.Text.Json;
using AgentHost.Core.Agents;
using AgentHost.Core.Provenance;
using AgentHost.Core.Tools;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Runs;

/// <summary>
/// Builds a run's taint tracker from its persisted chat history, so a resumed run (another job, another
/// host) knows exactly what the first one had read: trusted are the owner's instructions, the
/// requester's input and the granted scopes; untrusted is every tool result marked so, with the
/// refs, numbers and SHAs its plugin declared.
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
                tracker.AddUntrusted($"{envelope.Source} ({result.CallId})", envelope.Content, envelope.Values);
            }
        }

        return tracker;
    }

    private static (string Source, bool Untrusted, string Content, List<TrackedValue> Values)? Envelope(string? text)
    {
        if (text is null || !text.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (!root.TryGetProperty("untrusted", out var untrusted) || untrusted.ValueKind != JsonValueKind.True)
            {
                return null;
            }

            var values = new List<TrackedValue>();
            if (root.TryGetProperty("values", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (Enum.TryParse<ArgumentKind>(item.GetProperty("kind").GetString(), ignoreCase: true, out var kind) && item.GetProperty("value").GetString() is { } value)
                    {
                        values.Add(new TrackedValue(kind, value));
                    }
                }
            }

            return (root.GetProperty("source").GetString() ?? "tool", true, root.GetProperty("content").GetString() ?? string.Empty, values);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
