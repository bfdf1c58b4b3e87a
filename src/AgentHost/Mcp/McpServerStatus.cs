using System.Text.Json.Serialization;
using AgentHost.Core.Storage;

namespace AgentHost.Mcp;

/// <summary>Whether the host has a working session with an MCP server.</summary>
[JsonConverter(typeof(SnakeCaseConverter<McpServerStatus>))]
public enum McpServerStatus
{
    Connecting,
    Connected,
    Unreachable,
}
