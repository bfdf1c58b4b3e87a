namespace AgentHost.Mcp;

/// <summary>
/// Lists every server's tools again on a timer (TimeProvider): a description that changed disables its
/// tool, a server that went down is marked and audited, one that came back is reconnected. A failing
/// server never stops the host or the other servers.
/// </summary>
public sealed partial class McpRefreshService(McpServers servers, Microsoft.Extensions.Options.IOptions<Plugins.Mcp.McpOptions> options, TimeProvider time, ILogger<McpRefreshService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await servers.PreloadAsync(cancellationToken);
        var period = TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        _timer = time.CreateTimer(_ => _ = RefreshAsync(), null, period, period);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stopping.Dispose();
    }

    private async Task RefreshAsync()
    {
        try
        {
            await servers.RefreshAllAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the MCP servers failed; the next refresh tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
