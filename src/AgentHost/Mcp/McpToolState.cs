using System.Text.Json.Serialization;
using AgentHost.Core.Storage;

namespace AgentHost.Mcp;

/// <summary>Where a tool of an MCP server stands with the admins; only approved tools can be granted and called.</summary>
[JsonConverter(typeof(SnakeCaseConverter<McpToolState>))]
public enum McpToolState
{
    /// <summary>Listed by the server, never approved.</summary>
    Pending,

    /// <summary>Approved, and the server describes it exactly as pinned.</summary>
    Approved,

    /// <summary>Approved once, but the server now describes it otherwise (a rug pull): disabled until approved again.</summary>
    Changed,

    /// <summary>Approved once, no longer listed by the server.</summary>
    Removed,

    /// <summary>Its name cannot be a catalog name (McpToolNames); never in the catalog.</summary>
    Rejected,
}
