namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// The copy of each MCP tool an admin approved: its description and canonical input schema as shown to
/// the model, and their hash. A server that later describes the tool otherwise no longer matches its pin.
/// </summary>
internal static class M018_McpToolPins
{
    public static Migration Migration { get; } = new(
        18,
        "MCP tools pinned when an admin approves a server's tool list",
        """
        CREATE TABLE mcp_tool_pins (
            server TEXT NOT NULL,
            tool TEXT NOT NULL,
            description TEXT NOT NULL,
            input_schema TEXT NOT NULL,
            hash TEXT NOT NULL,
            read_only_hint INTEGER NOT NULL,
            approved_by TEXT NOT NULL,
            approved_at INTEGER NOT NULL,
            PRIMARY KEY (server, tool)
        );
        """,
        """
        CREATE TABLE mcp_tool_pins (
            server TEXT NOT NULL,
            tool TEXT NOT NULL,
            description TEXT NOT NULL,
            input_schema TEXT NOT NULL,
            hash TEXT NOT NULL,
            read_only_hint INTEGER NOT NULL,
            approved_by TEXT NOT NULL,
            approved_at BIGINT NOT NULL,
            PRIMARY KEY (server, tool)
        );
        """);
}
