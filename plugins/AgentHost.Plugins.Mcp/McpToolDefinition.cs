namespace AgentHost.Plugins.Mcp;

/// <summary>
/// One tool as a server describes it (live) or as an admin approved it (pinned): the name the server
/// knows it by, its description and the canonical JSON of its input schema, and their hash.
/// </summary>
public sealed record McpToolDefinition(string Server, string McpName, string Description, string InputSchema, bool ReadOnlyHint = false)
{
    /// <summary>SHA-256 (lower-case hex) of the canonical JSON of name, description and input schema.</summary>
    public string Hash { get; } = McpToolHash.Of(McpName, Description, InputSchema);

    /// <summary>The catalog name, mcp.{server}.{tool}, or null when the tool's name cannot be one (McpToolNames).</summary>
    public string? CatalogName { get; init; }
}
