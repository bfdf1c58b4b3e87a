using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Policies;

public static class PolicyRegistration
{
    public static WebApplicationBuilder AddPolicies(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PoliciesOptions>()
            .Bind(builder.Configuration.GetSection(PoliciesOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The catalog is every registered tool source: each plugin's tools (AddToolPlugin), and any source
        // added at start-up (an MCP server's approved tools); it rebuilds itself when a source changes.
        builder.Services.AddSingleton(sp => new ToolCatalog(sp.GetServices<IToolSource>()));
        var hostLists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (InternalDomains(builder.Configuration) is { Count: > 0 } domains)
        {
            hostLists["internal_domains"] = domains;
        }

        builder.Services.AddSingleton(sp => new PolicyProvider(
            HostPaths.Resolve(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, sp.GetRequiredService<IOptions<PoliciesOptions>>().Value.Path),
            sp.GetRequiredService<ToolCatalog>(),
            hostLists));
        builder.Services.AddSingleton<PolicyHistory>();
        builder.Services.AddSingleton<PolicyReplayer>();
        builder.Services.AddSingleton<PolicyReloadService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PolicyReloadService>());
        builder.Services.AddHealthChecks().AddCheck<PolicyHealthCheck>("policies");
        return builder;
    }

    /// <summary>Email:InternalDomains as a list ("a.com,b.com" or Email:InternalDomains:0, :1, ...).</summary>
    private static List<string> InternalDomains(ConfigurationManager configuration)
    {
        var section = configuration.GetSection("Email:InternalDomains");
        var values = section.GetChildren().Select(c => c.Value).ToList();
        values.AddRange((section.Value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}
