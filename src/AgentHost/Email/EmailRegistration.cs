using AgentHost.Core.EmailArrivals;
using AgentHost.Hosting;
using AgentHost.Plugins.Email;
using AgentHost.Plugins.Email.Mailbox;
using AgentHost.Plugins.Email.Sending;
using AgentHost.Plugins.Email.Tools;
using AgentHost.Tools;
using Microsoft.Extensions.Options;

namespace AgentHost.Email;

public static class EmailRegistration
{
    /// <summary>
    /// The email tools when a mailbox or an SMTP account is configured, and the arrival trigger with the
    /// mailbox. Email:InternalDomains reaches the policies through AddPolicies, not here.
    /// </summary>
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(EmailOptions.Section);
        builder.Services.AddOptions<EmailOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddSecretSettings("Email:Imap:Password", "Email:Smtp:Password");
        builder.Services.AddSingleton<MailboxCursorStore>();
        var settings = section.Get<EmailOptions>() ?? new EmailOptions();
        if (settings.ImapEnabled)
        {
            builder.Services.AddSingleton<ImapConnectionPool>();
            builder.Services.AddSingleton<MailboxClient>();
            builder.Services.AddSingleton<EmailArrivals>();
            if (builder.RunsWorkers())
            {
                builder.Services.AddHostedService<EmailArrivalPoller>();
            }
        }

        if (settings.SmtpEnabled)
        {
            builder.Services.AddSingleton<MailSender>();
        }

        builder.Services.AddEmailTools(settings.ImapEnabled || settings.SmtpEnabled);
        return builder;
    }

    /// <summary>The email tools: in the catalog always, executable when a mailbox or an SMTP account is configured.</summary>
    public static IServiceCollection AddEmailTools(this IServiceCollection services, bool enabled) =>
        services.AddToolPlugin<EmailTools>(EmailPlugin.Descriptor, enabled ? sp => new EmailTools(
            sp.GetService<MailboxClient>(),
            sp.GetService<MailSender>(),
            sp.GetRequiredService<IOptions<EmailOptions>>()) : null);
}
