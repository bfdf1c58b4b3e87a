namespace AgentHost.Core.Storage;

/// <summary>One forward-only schema step. Versions are applied in order, each exactly once.</summary>
public sealed record Migration(int Version, string Name, string Sql);
