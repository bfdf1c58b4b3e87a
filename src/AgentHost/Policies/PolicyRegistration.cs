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
        builder.Services.AddSingleton(ToolCatalog.Standard);
        builder.Services.AddSingleton(sp => new PolicyProvider(
            HostPaths.Resolve(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, sp.GetRequiredService<IOptions<PoliciesOptions>>().Value.Path),
            sp.GetRequiredService<ToolCatalog>()));
        builder.Services.AddSingleton<PolicyHistory>();
        builder.Services.AddSingleton<PolicyReloadService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PolicyReloadService>());
        builder.Services.AddHealthChecks().AddCheck<PolicyHealthCheck>("policies");
        return builder;
    }
}
