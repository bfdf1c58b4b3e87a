namespace AgentHost.Policies;

/// <summary>
/// A tool source whose tools are known only after reading the store or asking a server (MCP): loaded
/// before the first policy load, so rules naming its tools compile at start-up.
/// </summary>
public interface ICatalogPreload
{
    Task PreloadAsync(CancellationToken cancellationToken);
}
