using System.Text.Json.Nodes;
using AgentHost.Core.Tools;

namespace AgentHost.Mcp;

/// <summary>
/// The catalog entry of an MCP tool. Effect and reach are write/external unless the admin's configuration
/// says otherwise: the server's readOnlyHint is shown to admins but never lowers what policies see. Every
/// argument is a sink, since the host cannot know which of them decides where the effect lands.
/// </summary>
public static partial class McpToolDescriptors
{
    public static ToolDescriptor Of(McpServerSlot slot, McpToolEntry tool)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(tool);
        var labels = slot.Options.Tools.GetValueOrDefault(tool.McpName);
        var arguments = Arguments(tool.Shown.InputSchema);
        return new ToolDescriptor(tool.CatalogName!, labels?.Effect ?? ToolEffect.Write, labels?.Reach ?? ToolReach.External, arguments, arguments, tool.Shown.Description)
        {
            InputSchema = tool.Shown.InputSchema,
            Unavailable = tool.State switch
            {
                McpToolState.Pending => $"awaiting an admin's approval of MCP server {slot.Name}'s tool list",
                McpToolState.Changed => $"MCP server {slot.Name} changed this tool's description or schema since it was approved; awaiting an admin's approval",
                McpToolState.Removed => $"MCP server {slot.Name} no longer offers this tool",
                _ when arguments.FirstOrDefault(a => !KernelName().IsMatch(a)) is { } odd =>
                    $"its argument '{odd}' has a name the model's function-calling API cannot carry (letters, digits and '_' only)",
                _ => null,
            },
        };
    }

    // One odd argument name would make the whole run's kernel fail to build, so such a tool is never offered.
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial System.Text.RegularExpressions.Regex KernelName();

    private static List<string> Arguments(string schema) =>
        JsonNode.Parse(schema) is JsonObject { } root && root["properties"] is JsonObject properties ? [.. properties.Select(p => p.Key)] : [];
}
