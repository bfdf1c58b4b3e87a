using System.Text.Json.Nodes;

namespace AgentHost.Core.Audit.Content;

/// <summary>
/// What the verified events say about content, gathered in the verifier's one pass: every hash an event
/// commits to (with the first event that does) and every hash a content.removed event says retention removed.
/// </summary>
public sealed class ContentLedger
{
    private readonly List<string> _scratch = [];

    public Dictionary<string, long> Referenced { get; } = new(StringComparer.Ordinal);

    public HashSet<string> RemovedUnderRetention { get; } = new(StringComparer.Ordinal);

    public void Observe(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        _scratch.Clear();
        ContentReferences.Collect(e.Data, _scratch);
        foreach (var hash in _scratch)
        {
            Referenced.TryAdd(hash, e.Sequence);
        }

        if (e.Type == AuditEventTypes.ContentRemoved && JsonNode.Parse(e.Data)?["hashes"] is JsonArray hashes)
        {
            foreach (var hash in hashes)
            {
                if (hash?.GetValue<string>() is { } text)
                {
                    RemovedUnderRetention.Add(text);
                }
            }
        }
    }
}
