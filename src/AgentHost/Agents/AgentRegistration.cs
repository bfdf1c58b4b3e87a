using AgentHost.Agents.Authority;
using AgentHost.Core.Agents;

namespace AgentHost.Agents;

public static class AgentRegistration
{
    public static WebApplicationBuilder AddAgents(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AgentStore>();
        builder.Services.AddSingleton<AgentValidator>();
        builder.Services.AddSingleton<AgentHost.Core.Agents.History.AgentVersionStore>();
        builder.Services.AddSingleton<AgentService>();
        builder.Services.AddSingleton<ScopeGrantStore>();
        builder.Services.AddSingleton<AgentGrants>();
        builder.Services.AddSingleton<EntitlementCache>();
        builder.Services.AddSingleton<SlackMembership>();
        builder.Services.AddSingleton<IOwnerAuthority, OwnerAuthority>();
        builder.Services.AddSingleton<ScopeEntitlementCheck>();
        builder.Services.AddSingleton<AgentAccess>();
        builder.Services.AddSingleton<AgentKillSwitch>();
        builder.Services.AddSingleton<AgentSchedules>();
        builder.Services.AddSingleton<ConfiguredTools>();
        builder.Services.AddSingleton<Pickers.SlackChannelPicker>();
        builder.Services.AddSingleton<Pickers.GitHubRepoPicker>();
        builder.Services.AddSingleton<Pickers.MailFolderPicker>();
        return builder;
    }
}
