using System.Text.Json;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Mcp;

namespace AgentHost.Mcp;

/// <summary>
/// Calls MCP tools after the gate allowed them. It lists the server's tools again first and refuses a tool
/// that is not approved or whose live description or schema no longer matches its pin; what the server
/// returns is untrusted (someone else wrote it), and a server that is down is an error, never a hang.
/// </summary>
public sealed class McpToolExecutor(McpServers servers, Microsoft.Extensions.Options.IOptions<Plugins.Mcp.McpOptions> options) : IToolExecutor
{
    public IReadOnlyCollection<string> Functions => [];

    public bool Handles(string function) => function?.StartsWith("mcp.", StringComparison.Ordinal) == true;

    public async Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var parts = invocation.Function.Split('.');
        if (parts.Length != 3 || servers.Slot(parts[1]) is not { } slot)
        {
            return new ToolResult(false, $"{invocation.Function} is not a tool of a configured MCP server");
        }

        McpServerConnection connection;
        McpToolDefinition live;
        await slot.Turn.WaitAsync(cancellationToken);
        try
        {
            await servers.ListUnderTurnAsync(slot, cancellationToken);
            if (slot.Status != McpServerStatus.Connected || slot.Connection is null)
            {
                return new ToolResult(false, $"MCP server {slot.Name} is unreachable ({slot.Error}); {invocation.Function} cannot be called now");
            }

            var tool = McpToolEntry.Of(slot).SingleOrDefault(t => t.CatalogName == invocation.Function);
            if (tool is not { State: McpToolState.Approved, Live: { } current })
            {
                return new ToolResult(false, $"{invocation.Function} is not callable: {tool?.State.ToString().ToLowerInvariant() ?? "unknown"} (an admin must approve MCP server {slot.Name}'s current tool list)");
            }

            (connection, live) = (slot.Connection, current);
        }
        finally
        {
            slot.Turn.Release();
            servers.Publish();
        }

        // The call runs outside the server's turn: a slow tool does not hold up listings or other calls.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.Value.CallTimeoutSeconds));
        try
        {
            var (isError, text) = await connection.CallAsync(live.McpName, Arguments(invocation), deadline.Token);
            return new ToolResult(!isError, isError ? $"{invocation.Function} reported an error: {text}" : text, Untrusted: true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = await servers.MarkFailedAsync(slot, connection, e, cancellationToken);
            return new ToolResult(false, $"MCP server {slot.Name} failed while calling {invocation.Function} ({error}); the call may or may not have taken effect");
        }
    }

    private static Dictionary<string, JsonElement> Arguments(ToolInvocation invocation) =>
        invocation.Arguments.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value is JsonElement element ? element : JsonSerializer.SerializeToElement(a.Value, a.Value!.GetType()), StringComparer.Ordinal);
}
