using System.Text.Json.Nodes;
using AgentHost.Core.Audit;
using AgentHost.Core.Redaction;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Mcp;
using AgentHost.Policies;
using Microsoft.Extensions.Options;

namespace AgentHost.Mcp;

/// <summary>
/// The configured MCP servers and their tools in the catalog: approved tools as pinned (the model sees the
/// pinned description and schema), pending, changed and removed ones present but unavailable, so policy
/// rules naming them load and nobody can grant or call them. A server that is down keeps its approved
/// tools in the catalog; calling them fails with a clear error until it is back.
/// </summary>
public sealed partial class McpServers : IToolSource, ICatalogPreload, IAsyncDisposable
{
    private readonly Dictionary<string, McpServerSlot> _slots;
    private readonly McpOptions _options;
    private readonly McpPinStore _pins;
    private readonly IAuditLog _audit;
    private readonly ILoggerFactory _loggers;
    private readonly SecretRedactor _redactor;
    private readonly ILogger<McpServers> _logger;
    private readonly Lazy<Task> _preload;
    private volatile IReadOnlyCollection<ToolDescriptor> _tools = [];
    private string _published = string.Empty;

    public McpServers(IOptions<McpOptions> options, McpPinStore pins, IAuditLog audit, SecretRedactor redactor, ILoggerFactory loggers)
    {
        _redactor = redactor;
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _slots = _options.Servers.ToDictionary(s => s.Key, s => new McpServerSlot(s.Key, s.Value), StringComparer.Ordinal);
        _pins = pins;
        _audit = audit;
        _loggers = loggers;
        _logger = loggers.CreateLogger<McpServers>();
        _preload = new(() => PreloadCoreAsync(CancellationToken.None));
    }

    public IReadOnlyCollection<ToolDescriptor> Tools => _tools;

    public event EventHandler? Changed;

    public IReadOnlyCollection<McpServerSlot> Slots => _slots.Values;

    public McpServerSlot? Slot(string name) => _slots.GetValueOrDefault(name);

    /// <summary>The pins, then one listing of every server, before the first policy load (rules may name these tools).</summary>
    public Task PreloadAsync(CancellationToken cancellationToken) => _preload.Value.WaitAsync(cancellationToken);

    public async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        await PreloadAsync(cancellationToken);
        await Task.WhenAll(_slots.Values.Select(s => RefreshAsync(s, cancellationToken)));
    }

    /// <summary>Connects if needed and lists the server's tools again; a failure marks it unreachable (audited once per outage).</summary>
    public async Task RefreshAsync(McpServerSlot slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slot);
        await slot.Turn.WaitAsync(cancellationToken);
        try
        {
            await ListUnderTurnAsync(slot, cancellationToken);
        }
        finally
        {
            slot.Turn.Release();
        }

        Publish();
    }

    /// <summary>
    /// Reads the server's pins (an approval in another process of the deployment counts here at once), then
    /// connects if needed and lists the tools; the caller holds the slot's turn.
    /// </summary>
    internal async Task ListUnderTurnAsync(McpServerSlot slot, CancellationToken cancellationToken)
    {
        var stored = await _pins.ListAsync(slot.Name, cancellationToken);
        if (stored.Count != slot.Pins.Count || stored.Any(p => slot.Pins.GetValueOrDefault(p.McpName)?.Hash != p.Hash))
        {
            slot.Pin(stored);
        }

        try
        {
            if (slot.Connection is not { IsClosed: false })
            {
                await slot.DropConnectionAsync();
                slot.Connection = await McpServerConnection.ConnectAsync(slot.Name, slot.Options, TimeSpan.FromSeconds(_options.ConnectTimeoutSeconds), _loggers, cancellationToken);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(_options.ConnectTimeoutSeconds));
            slot.Live = await slot.Connection.ListToolsAsync(deadline.Token);
            slot.Status = McpServerStatus.Connected;
            slot.Error = null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await MarkUnreachableAsync(slot, e, cancellationToken);
            return;
        }

        await AuditChangesAsync(slot, cancellationToken);
    }

    /// <summary>A call on <paramref name="connection"/> failed: the server is unreachable unless a newer session replaced it meanwhile.</summary>
    internal async Task<string> MarkFailedAsync(McpServerSlot slot, McpServerConnection connection, Exception error, CancellationToken cancellationToken)
    {
        await slot.Turn.WaitAsync(cancellationToken);
        try
        {
            if (ReferenceEquals(slot.Connection, connection))
            {
                await MarkUnreachableAsync(slot, error, cancellationToken);
                return slot.Error!;
            }

            return Describe(error);
        }
        finally
        {
            slot.Turn.Release();
            Publish();
        }
    }

    private async Task MarkUnreachableAsync(McpServerSlot slot, Exception error, CancellationToken cancellationToken)
    {
        var first = slot.Status != McpServerStatus.Unreachable;
        slot.Status = McpServerStatus.Unreachable;
        slot.Error = Describe(error);
        await slot.DropConnectionAsync();
        LogUnreachable(_logger, slot.Name, slot.Error);
        if (first)
        {
            await _audit.AppendAsync(new AuditEntry(AuditEventTypes.McpServerUnreachable, AuditActor.System, Data: new() { ["server"] = slot.Name, ["error"] = slot.Error }), cancellationToken);
        }
    }

    private async Task AuditChangesAsync(McpServerSlot slot, CancellationToken cancellationToken)
    {
        foreach (var tool in McpToolEntry.Of(slot).Where(t => t.State == McpToolState.Changed && slot.AuditedChanges.Add($"{t.McpName}:{t.Live!.Hash}")))
        {
            LogChanged(_logger, slot.Name, tool.McpName);
            await _audit.AppendAsync(new AuditEntry(AuditEventTypes.McpToolChanged, AuditActor.System, Data: new()
            {
                ["server"] = slot.Name,
                ["tool"] = tool.CatalogName,
                ["pinnedHash"] = tool.Pinned!.Hash,
                ["liveHash"] = tool.Live!.Hash,
                ["diff"] = tool.Diff,
            }), cancellationToken);
        }
    }

    /// <summary>Rebuilds the catalog entries and tells the catalog when they changed.</summary>
    public void Publish()
    {
        var tools = _slots.Values.SelectMany(s => McpToolEntry.Of(s).Where(t => t.CatalogName is not null).Select(t => McpToolDescriptors.Of(s, t))).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var signature = string.Join('\n', tools.Select(t => $"{t.Name}|{t.Effect}|{t.Reach}|{t.Unavailable}|{t.Description}|{t.InputSchema}"));
        lock (_slots)
        {
            if (signature == _published)
            {
                return;
            }

            _published = signature;
            _tools = tools;
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private async Task PreloadCoreAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_slots.Values.Select(s => RefreshAsync(s, cancellationToken)));
        Publish();
    }

    // The exception's type and message: the SDK's messages name the server and what failed, never a header or variable value.
    private string Describe(Exception error)
    {
        var text = error is OperationCanceledException ? "no answer in time" : _redactor.Redact($"{error.GetType().Name}: {error.Message}");
        return text.Length > 300 ? text[..300] : text;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots.Values)
        {
            await slot.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server} is unreachable: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string server, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP server {Server} changed the description or schema of {Tool} since it was approved; the tool is disabled until an admin approves it again")]
    private static partial void LogChanged(ILogger logger, string server, string tool);
}
