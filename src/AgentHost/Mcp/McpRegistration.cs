using AgentHost.Core.Tools;
using AgentHost.Hosting;
using AgentHost.Plugins.Mcp;
using AgentHost.Policies;

namespace AgentHost.Mcp;

public static class McpRegistration
{
    /// <summary>MCP servers from Mcp:Servers: their tools in the catalog (pending until approved), an executor, the refresh job.</summary>
    public static WebApplicationBuilder AddMcp(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<McpOptions>()
            .Bind(builder.Configuration.GetSection(McpOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // What a server is given (its variables, its headers, a URL that may carry a token) is the admin's secret:
        // redacted wherever it would be written, error messages included.
        foreach (var server in builder.Configuration.GetSection($"{McpOptions.Section}:Servers").GetChildren())
        {
            builder.AddSecretSettings([.. server.GetSection("Environment").GetChildren().Concat(server.GetSection("Headers").GetChildren()).Select(c => c.Path), $"{server.Path}:Url"]);
        }

        builder.Services.AddSingleton<McpPinStore>();
        builder.Services.AddSingleton<McpServers>();
        builder.Services.AddSingleton<IToolSource>(sp => sp.GetRequiredService<McpServers>());
        builder.Services.AddSingleton<ICatalogPreload>(sp => sp.GetRequiredService<McpServers>());
        builder.Services.AddSingleton<IToolExecutor, McpToolExecutor>();
        builder.Services.AddSingleton<McpApprovals>();
        builder.Services.AddHostedService<McpRefreshService>();
        return builder;
    }
}
