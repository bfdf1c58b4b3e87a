namespace AgentHost.McpTestServer;

/// <summary>The stdio variant: stdout carries the protocol, so nothing else may write there.</summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithStdioServerTransport().WithTestTools();
        await builder.Build().RunAsync();
    }
}
