namespace AgentHost.McpTestServer;

/// <summary>The Streamable HTTP variant, hosted in the test process on a loopback port the OS picks.</summary>
public static class HttpTestServer
{
    public static async Task<WebApplication> StartAsync(Func<string?> descriptionFile, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddMcpServer().WithHttpTransport(options => options.Stateless = true).WithTestTools(descriptionFile);
        var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync(cancellationToken);
        return app;
    }

    public static Uri Endpoint(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new Uri(app.Urls.First() + "/mcp");
    }
}
