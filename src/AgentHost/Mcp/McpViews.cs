using AgentHost.Core.Tools;

namespace AgentHost.Mcp;

/// <summary>A configured MCP server as admins see it: never its command's environment or its headers.</summary>
public sealed record McpServerView(string Name, string Transport, McpServerStatus Status, string? Error, IReadOnlyList<McpToolView> Tools)
{
    public static McpServerView From(McpServerSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return new(slot.Name, slot.Options.IsStdio ? "stdio" : "http", slot.Status, slot.Error, [.. McpToolEntry.Of(slot).Select(t => McpToolView.From(slot, t))]);
    }
}

/// <summary>
/// One tool: its state, the copy the model sees (the pinned one once approved), the hash to send back when
/// approving (<see cref="Hash"/>, of what the server lists now), and for a changed tool the diff.
/// </summary>
public sealed record McpToolView(
    string McpName,
    string? Name,
    McpToolState State,
    string Description,
    string InputSchema,
    string? Hash,
    string? PinnedHash,
    bool ReadOnlyHint,
    string Effect,
    string Reach,
    string? Diff)
{
    public static McpToolView From(McpServerSlot slot, McpToolEntry tool)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(tool);
        var labels = slot.Options.Tools.GetValueOrDefault(tool.McpName);
        return new(
            tool.McpName,
            tool.CatalogName,
            tool.State,
            tool.Shown.Description,
            tool.Shown.InputSchema,
            tool.Live?.Hash,
            tool.Pinned?.Hash,
            (tool.Live ?? tool.Pinned)?.ReadOnlyHint == true,
            (labels?.Effect ?? ToolEffect.Write).ToString().ToLowerInvariant(),
            (labels?.Reach ?? ToolReach.External).ToString().ToLowerInvariant(),
            tool.Diff);
    }
}
