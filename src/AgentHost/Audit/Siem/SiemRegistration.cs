using AgentHost.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Audit.Siem;

public static class SiemRegistration
{
    /// <summary>
    /// The SIEM stream: options validated at start-up in every role (a web process shows the lag), the
    /// forwarders only where background work runs, and only when a destination is configured.
    /// </summary>
    public static WebApplicationBuilder AddSiemStream(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(SiemStreamOptions.Section);
        builder.Services.AddOptions<SiemStreamOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiemStreamOptions>, SiemStreamOptionsValidator>();
        var destinations = section.GetSection(nameof(SiemStreamOptions.Destinations)).GetChildren().ToList();
        builder.AddSecretSettings([.. destinations.Select(d => $"{d.Path}:{nameof(SiemDestinationOptions.Secret)}")]);
        builder.Services.AddSingleton<SiemCursorStore>();
        builder.Services.AddSingleton<SiemStreamStatus>();
        if (destinations.Count > 0 && builder.RunsWorkers())
        {
            builder.Services.AddSingleton<SiemStreamService>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SiemStreamService>());
        }

        return builder;
    }
}
