using AgentHost.Core.Tools;

namespace AgentHost.Tools;

public static class ToolPluginRegistration
{
    /// <summary>
    /// Registers a plugin class: its functions join the catalog (policies, the agent form, the what-if and
    /// the gate read them there) whether or not the plugin is configured; with <paramref name="create"/>
    /// they can also be executed. A granted tool of a plugin registered without it fails clearly when called.
    /// </summary>
    public static IServiceCollection AddToolPlugin<TTools>(this IServiceCollection services, ToolPluginDescriptor plugin, Func<IServiceProvider, TTools>? create = null)
        where TTools : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(plugin);
        var functions = PluginFunctions.Describe(typeof(TTools), plugin);
        services.AddSingleton<IToolSource>(new FixedToolSource(functions.Select(f => f.Tool), plugin.Scopes));
        if (create is not null)
        {
            services.AddSingleton<IToolExecutor>(sp => new KernelToolExecutor(create(sp), functions));
        }

        return services;
    }
}
