using AgentHost.Core.Tools;

namespace AgentHost.Plugins.Mcp;

/// <summary>An admin's labels for one tool of a server; what they say wins over the server's annotations.</summary>
public sealed class McpToolOptions
{
    public ToolEffect? Effect { get; set; }

    public ToolReach? Reach { get; set; }
}
