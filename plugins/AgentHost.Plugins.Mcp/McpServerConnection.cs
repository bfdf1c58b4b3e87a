using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentHost.Plugins.Mcp;

/// <summary>
/// A live session with one MCP server. A stdio server's process starts with an empty environment plus
/// exactly the configured variables (the SDK inherits the host's whole environment unless told not to);
/// an HTTP server receives exactly the configured headers on top of the protocol's own.
/// </summary>
public sealed class McpServerConnection : IAsyncDisposable
{
    private readonly McpClient _client;

    private McpServerConnection(string server, McpClient client)
    {
        Server = server;
        _client = client;
    }

    public string Server { get; }

    /// <summary>True once the session ended: the process exited or the endpoint closed it.</summary>
    public bool IsClosed => _client.Completion.IsCompleted;

    public static async Task<McpServerConnection> ConnectAsync(string server, McpServerOptions options, TimeSpan timeout, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var client = await McpClient.CreateAsync(Transport(server, options, timeout, loggers), loggerFactory: loggers, cancellationToken: deadline.Token);
        return new McpServerConnection(server, client);
    }

    internal static IClientTransport Transport(string server, McpServerOptions options, TimeSpan timeout, ILoggerFactory loggers) =>
        options.IsStdio
            ? new StdioClientTransport(
                new StdioClientTransportOptions
                {
                    Name = server,
                    Command = options.Command!,
                    Arguments = [.. options.Arguments],
                    WorkingDirectory = options.WorkingDirectory,
                    InheritEnvironmentVariables = false,
                    EnvironmentVariables = options.Environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal),
                },
                loggers)
            : new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Name = server,
                    Endpoint = options.Url!,
                    TransportMode = HttpTransportMode.StreamableHttp,
                    ConnectionTimeout = timeout,
                    AdditionalHeaders = options.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase),
                },
                loggers);

    public async Task<IReadOnlyList<McpToolDefinition>> ListToolsAsync(CancellationToken cancellationToken)
    {
        var tools = await _client.ListToolsAsync(cancellationToken: cancellationToken);
        return [.. tools.Select(t => t.ProtocolTool).Select(t => new McpToolDefinition(
            Server,
            t.Name,
            t.Description ?? string.Empty,
            McpToolHash.Canonical(t.InputSchema),
            t.Annotations?.ReadOnlyHint == true))];
    }

    /// <summary>Calls a tool by the name its server knows; the text of the result, and whether the server called it an error.</summary>
    public async Task<(bool IsError, string Text)> CallAsync(string mcpName, IReadOnlyDictionary<string, JsonElement> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var result = await _client.CallToolAsync(new CallToolRequestParams { Name = mcpName, Arguments = arguments.ToDictionary() }, cancellationToken);
        var text = new StringBuilder();
        foreach (var block in result.Content)
        {
            text.AppendLine(block is TextContentBlock t ? t.Text : $"[{block.Type} content omitted]");
        }

        if (text.Length == 0 && result.StructuredContent is { } structured)
        {
            text.Append(structured.GetRawText());
        }

        return (result.IsError == true, text.ToString().TrimEnd());
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
