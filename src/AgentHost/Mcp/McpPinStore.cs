using AgentHost.Core.Storage;
using AgentHost.Plugins.Mcp;
using Dapper;

namespace AgentHost.Mcp;

/// <summary>The approved copies of MCP tools (migration 17), by server.</summary>
public sealed class McpPinStore(StoreDatabase database)
{
    /// <summary>The pins of one server: every process of a deployment reads the same approvals.</summary>
    public async Task<IReadOnlyList<McpToolDefinition>> ListAsync(string server, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<PinRow>("SELECT server, tool, description, input_schema, read_only_hint FROM mcp_tool_pins WHERE server = @server ORDER BY tool", new { server }, cancellationToken))
            .Select(r => new McpToolDefinition(r.Server, r.Tool, r.Description, r.InputSchema, r.ReadOnlyHint != 0))];

    /// <summary>Pins exactly <paramref name="tools"/> for the server: tools approved before and not listed now lose their pin.</summary>
    public async Task ReplaceAsync(string server, IReadOnlyList<McpToolDefinition> tools, string approvedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tools);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(StoreDatabase.Command("DELETE FROM mcp_tool_pins WHERE server = @server", new { server }, transaction, cancellationToken));
        foreach (var tool in tools)
        {
            await connection.ExecuteAsync(StoreDatabase.Command(
                "INSERT INTO mcp_tool_pins (server, tool, description, input_schema, hash, read_only_hint, approved_by, approved_at) VALUES (@server, @tool, @description, @schema, @hash, @readOnly, @approvedBy, @at)",
                new { server, tool = tool.McpName, description = tool.Description, schema = tool.InputSchema, hash = tool.Hash, readOnly = tool.ReadOnlyHint ? 1 : 0, approvedBy, at = StoreTime.ToMicroseconds(at) },
                transaction,
                cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record PinRow
    {
        public string Server { get; init; } = "";
        public string Tool { get; init; } = "";
        public string Description { get; init; } = "";
        public string InputSchema { get; init; } = "";
        public long ReadOnlyHint { get; init; }
    }
}
