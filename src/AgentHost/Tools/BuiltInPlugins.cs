using AgentHost.Core.Tools;
using AgentHost.Deploy;
using AgentHost.Email;
using AgentHost.Slack;

namespace AgentHost.Tools;

/// <summary>
/// The catalog of the plugins this host registers, without configuring or starting any of them: what the
/// command line's policy check and test load policies against, through the same registrations the host
/// makes (AddSlack, AddEmail and AddDeploy call the same methods).
/// </summary>
public static class BuiltInPlugins
{
    public static IServiceCollection AddBuiltInPluginCatalog(this IServiceCollection services) =>
        services.AddSlackTools(enabled: false).AddEmailTools(enabled: false).AddDeployTools(enabled: false);

    public static ToolCatalog Catalog()
    {
        using var services = new ServiceCollection().AddBuiltInPluginCatalog().BuildServiceProvider();
        return new ToolCatalog(services.GetServices<IToolSource>());
    }
}
