namespace AgentHost.Core.Tools;

/// <summary>Whether a tool's effect can be seen outside the agent's own workspace.</summary>
public enum ToolReach
{
    Internal,
    External,
}
