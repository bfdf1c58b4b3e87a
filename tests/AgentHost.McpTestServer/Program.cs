using AgentHost.McpTestServer;

// The stdio variant: stdout carries the protocol, so nothing else may write there.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddMcpServer().WithStdioServerTransport().WithTestTools();
await builder.Build().RunAsync();
