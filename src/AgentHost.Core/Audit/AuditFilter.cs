namespace AgentHost.Core.Audit;

/// <summary>What a reviewer searches by; every member is optional and they combine with AND.</summary>
public sealed record AuditFilter(
    string? RunId = null,
    string? AgentId = null,
    string? Actor = null,
    string? Type = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);
