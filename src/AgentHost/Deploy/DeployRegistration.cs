using AgentHost.Hosting;
using AgentHost.Plugins.Deploy;
using AgentHost.Plugins.Deploy.Api;
using AgentHost.Plugins.Deploy.Tools;
using AgentHost.Tools;
using Microsoft.Extensions.Options;

namespace AgentHost.Deploy;

public static class DeployRegistration
{
    public static WebApplicationBuilder AddDeploy(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DeployOptions>()
            .Bind(builder.Configuration.GetSection(DeployOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddSecretSettings("GitHub:Token");

        // Without a token there is no client to build; the deploy tools then answer "not configured".
        var enabled = builder.Configuration.GetSection(DeployOptions.Section).Get<DeployOptions>()?.Enabled == true;
        if (enabled)
        {
            builder.Services.AddSingleton(services => new GitHubDeployClient(services.GetRequiredService<IOptions<DeployOptions>>().Value));
            builder.Services.AddSingleton<AgentHost.Agents.Authority.GitHubRepoAccess>();
        }

        builder.Services.AddDeployTools(enabled);
        return builder;
    }

    /// <summary>The deploy tools: in the catalog always, executable with a GitHub token.</summary>
    public static IServiceCollection AddDeployTools(this IServiceCollection services, bool enabled) =>
        services.AddToolPlugin<DeployTools>(DeployPlugin.Descriptor, enabled ? sp => new DeployTools(sp.GetRequiredService<GitHubDeployClient>(), sp.GetRequiredService<TimeProvider>()) : null);
}
