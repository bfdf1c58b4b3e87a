using AgentHost.Core.Usage;

namespace AgentHost.Usage;

public static class UsageRegistration
{
    public static WebApplicationBuilder AddUsage(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<UsageOptions>()
            .Bind(builder.Configuration.GetSection(UsageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<UsageStore>();
        builder.Services.AddSingleton<UsageReport>();
        return builder;
    }
}
