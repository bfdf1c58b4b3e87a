using System.Text.Json.Nodes;
using AgentHost.Core.Audit;
using AgentHost.Plugins.Mcp;

namespace AgentHost.Mcp;

/// <summary>
/// An admin approves a server's tool list as they saw it: the request carries the hash of every tool shown,
/// and the host pins exactly the tools the server lists now only when they match, so a list that changed
/// under the admin is never approved. The approver, the hashes and the previous pins are audited.
/// </summary>
public sealed class McpApprovals(McpServers servers, McpPinStore pins, IAuditLog audit, TimeProvider time)
{
    public async Task<McpApprovalResult> ApproveAsync(string server, IReadOnlyDictionary<string, string> expected, string approver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (servers.Slot(server) is not { } slot)
        {
            return McpApprovalResult.Refused(StatusCodes.Status404NotFound, $"no MCP server named {server} is configured");
        }

        await slot.Turn.WaitAsync(cancellationToken);
        try
        {
            await servers.ListUnderTurnAsync(slot, cancellationToken);
            if (slot.Status != McpServerStatus.Connected || slot.Live is null)
            {
                return McpApprovalResult.Refused(StatusCodes.Status409Conflict, $"MCP server {server} is unreachable ({slot.Error}); its tool list cannot be approved now");
            }

            var listed = McpToolEntry.Of(slot).Where(t => t.Live is not null && t.CatalogName is not null).ToList();
            var current = listed.ToDictionary(t => t.CatalogName!, t => t.Live!.Hash, StringComparer.Ordinal);
            var differences = current.Keys.Union(expected.Keys, StringComparer.Ordinal)
                .Where(name => !string.Equals(current.GetValueOrDefault(name), expected.GetValueOrDefault(name), StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (differences.Count > 0)
            {
                return McpApprovalResult.Refused(StatusCodes.Status409Conflict, $"the tool list of {server} is not the one approved (differs in: {string.Join(", ", differences)}); reload it and approve again");
            }

            var tools = listed.Select(t => t.Live!).ToList();
            var previous = slot.Pins.Values.ToList();
            await pins.ReplaceAsync(server, tools, approver, time.GetUtcNow(), cancellationToken);
            slot.Pin(tools);
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.McpToolsApproved, AuditActor.Employee(approver), Data: new()
            {
                ["server"] = server,
                ["tools"] = Hashes(server, tools),
                ["previous"] = Hashes(server, previous),
            }), cancellationToken);
            return new McpApprovalResult(StatusCodes.Status200OK, null, current);
        }
        finally
        {
            slot.Turn.Release();
            servers.Publish();
        }
    }

    private static JsonObject Hashes(string server, IEnumerable<McpToolDefinition> tools)
    {
        var names = McpToolNames.Map(server, tools.Select(t => t.McpName));
        return new JsonObject(tools.Select(t => KeyValuePair.Create(names[t.McpName] ?? t.McpName, (JsonNode?)t.Hash)));
    }
}
