namespace AgentHost.Core.Tools;

/// <summary>What a tool does to the world; policies match on it.</summary>
public enum ToolEffect
{
    Read,
    Write,
    Destructive,
}
