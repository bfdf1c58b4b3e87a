namespace AgentHost.Core.Agents.History;

/// <summary>One saved version of an agent: who saved it, when, what it was then and how it differed from the one before.</summary>
public sealed record AgentVersion(string AgentId, long Version, string SavedBy, DateTimeOffset SavedAt, AgentDefinition Definition, AgentDiff Diff);
