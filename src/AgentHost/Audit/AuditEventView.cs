using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Audit;

/// <summary>An audit event as the API shows it; data is the stored JSON, not a string holding JSON.</summary>
public sealed record AuditEventView(long Seq, string Ts, string Type, string Actor, string? AgentId, string? RunId, JsonElement Data, string LeafHash)
{
    public static AuditEventView From(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var data = JsonDocument.Parse(e.Data);
        return new(e.Sequence, StoreTime.ToText(StoreTime.ToMicroseconds(e.Timestamp)), e.Type, e.Actor.ToString(), e.AgentId, e.RunId, data.RootElement.Clone(), Convert.ToHexStringLower(e.LeafHash));
    }
}
