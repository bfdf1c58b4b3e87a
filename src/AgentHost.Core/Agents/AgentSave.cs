using AgentHost.Core.Agents.History;

namespace AgentHost.Core.Agents;

/// <summary>A stored save of an agent's definition: the agent as saved and what the save changed (empty: nothing was written).</summary>
public sealed record AgentSave(Agent Agent, AgentDiff Diff);
