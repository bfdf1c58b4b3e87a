using AgentHost.Plugins.Mcp;

namespace AgentHost.Mcp;

/// <summary>One tool of a server as the admin sees it: its state, the copy the model sees, and what changed.</summary>
public sealed record McpToolEntry(string McpName, string? CatalogName, McpToolState State, McpToolDefinition Shown, McpToolDefinition? Live, McpToolDefinition? Pinned)
{
    public string? Diff => State == McpToolState.Changed && Pinned is not null && Live is not null ? McpPinDiff.Between(Pinned, Live) : null;

    /// <summary>The tools of one server, from what it listed and what was pinned.</summary>
    public static IReadOnlyList<McpToolEntry> Of(McpServerSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        var live = slot.Live?.ToDictionary(t => t.McpName, StringComparer.Ordinal) ?? [];
        var names = live.Keys.Union(slot.Pins.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var catalogNames = McpToolNames.Map(slot.Name, names);
        return [.. names.Select(name =>
        {
            var current = live.GetValueOrDefault(name);
            var pinned = slot.Pins.GetValueOrDefault(name);
            var state = (catalogNames[name], pinned, current) switch
            {
                (null, _, _) => McpToolState.Rejected,
                (_, null, _) => McpToolState.Pending,
                (_, _, null) when slot.Live is not null => McpToolState.Removed,
                (_, _, { } now) when now.Hash != pinned.Hash => McpToolState.Changed,
                _ => McpToolState.Approved,
            };
            return new McpToolEntry(name, catalogNames[name], state, pinned ?? current!, current, pinned);
        })];
    }
}
