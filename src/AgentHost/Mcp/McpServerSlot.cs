using AgentHost.Plugins.Mcp;

namespace AgentHost.Mcp;

/// <summary>
/// What the host knows of one configured server: its session, what it listed last, and what an admin
/// pinned. One refresh or approval at a time (<see cref="Turn"/>); readers take the immutable fields as they are.
/// </summary>
public sealed class McpServerSlot(string name, McpServerOptions options) : IAsyncDisposable
{
    public string Name { get; } = name;

    public McpServerOptions Options { get; } = options;

    public SemaphoreSlim Turn { get; } = new(1, 1);

    public McpServerConnection? Connection { get; set; }

    public McpServerStatus Status { get; set; } = McpServerStatus.Connecting;

    /// <summary>Why the server is unreachable, for the admin and the tool's error; never a secret.</summary>
    public string? Error { get; set; }

    /// <summary>The tools as the server listed them last; null until it listed once.</summary>
    public IReadOnlyList<McpToolDefinition>? Live { get; set; }

    /// <summary>The approved copies, by the server's tool name.</summary>
    public IReadOnlyDictionary<string, McpToolDefinition> Pins { get; set; } = new Dictionary<string, McpToolDefinition>(StringComparer.Ordinal);

    /// <summary>Changed tools already audited (tool and live hash), so a refresh audits each change once.</summary>
    public HashSet<string> AuditedChanges { get; } = new(StringComparer.Ordinal);

    /// <summary>Replaces the pins after an admin approved the list (the caller holds <see cref="Turn"/>).</summary>
    public void Pin(IReadOnlyList<McpToolDefinition> tools)
    {
        Pins = tools.ToDictionary(t => t.McpName, StringComparer.Ordinal);
        AuditedChanges.Clear();
    }

    /// <summary>Ends the session, if any; a process that already exited cannot be closed twice.</summary>
    public async Task DropConnectionAsync()
    {
        if (Connection is { } connection)
        {
            Connection = null;
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
            {
                // The session is gone either way.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        Turn.Dispose();
    }
}
