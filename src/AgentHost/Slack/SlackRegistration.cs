using AgentHost.Hosting;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Plugins.Slack.Tools;
using AgentHost.Tools;

namespace AgentHost.Slack;

public static class SlackRegistration
{
    public static WebApplicationBuilder AddSlack(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SlackOptions>()
            .Bind(builder.Configuration.GetSection(SlackOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddSecretSettings("Slack:BotToken", "Slack:SigningSecret");
        builder.Services.AddHttpClient<ISlackClient, SlackWebApiClient>();
        builder.Services.AddSingleton<SlackRequestVerifier>();
        builder.Services.AddSingleton<SlackNotifier>();
        builder.Services.AddSingleton<AgentHost.Runs.IRunObserver>(services => services.GetRequiredService<SlackNotifier>());
        builder.Services.AddSingleton<AgentHost.Approvals.IApprovalObserver>(services => services.GetRequiredService<SlackNotifier>());
        builder.Services.AddSingleton<AgentHost.Core.Notifications.InboundEventLog>();
        builder.Services.AddSingleton<InboundEventPruning>();
        builder.Services.AddTransient<InboundWork>();
        builder.Services.AddTransient<SlackApprovalJob>();
        builder.Services.AddTransient<SlackRejection>();
        builder.Services.AddTransient<SlackOwnerNotice>();
        builder.Services.AddTransient<SlackMentionJob>();
        if (builder.RunsWorkers())
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<InboundEventPruning>());
        }

        var enabled = builder.Configuration.GetSection(SlackOptions.Section).Get<SlackOptions>()?.Enabled == true;
        builder.Services.AddSlackTools(enabled);
        if (enabled)
        {
            if (builder.RunsWorkers())
            {
                builder.Services.AddHostedService<SlackReconciliation>();
            }
        }

        return builder;
    }

    /// <summary>The Slack tools: in the catalog always, executable with a bot token (the client is made on first call).</summary>
    public static IServiceCollection AddSlackTools(this IServiceCollection services, bool enabled) =>
        services.AddToolPlugin<SlackTools>(SlackPlugin.Descriptor, enabled ? sp => new SlackTools(sp.GetRequiredService<ISlackClient>()) : null);
}
