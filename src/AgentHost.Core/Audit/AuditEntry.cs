using System.Text.Json.Nodes;

namespace AgentHost.Core.Audit;

/// <summary>What a caller asks the audit log to record; the log assigns sequence, time and hash.</summary>
public sealed record AuditEntry(string Type, AuditActor Actor, string? AgentId = null, string? RunId = null, JsonObject? Data = null);
