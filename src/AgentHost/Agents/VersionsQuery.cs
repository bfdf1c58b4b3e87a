using AgentHost.Hosting;

namespace AgentHost.Agents;

/// <summary>GET /api/agents/{id}/versions: how many versions, newest first (default 100).</summary>
public sealed record VersionsQuery([property: WholeNumber(1, HistoryEndpoints.MaxVersions)] string? Limit);
