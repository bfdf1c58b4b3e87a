using AgentHost.Core.Agents;

namespace AgentHost.Agents;

public static class AgentRegistration
{
    public static WebApplicationBuilder AddAgents(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AgentStore>();
        builder.Services.AddSingleton<AgentValidator>();
        builder.Services.AddSingleton<AgentService>();
        builder.Services.AddSingleton<AgentAccess>();
        builder.Services.AddSingleton<AgentKillSwitch>();
        return builder;
    }
}
