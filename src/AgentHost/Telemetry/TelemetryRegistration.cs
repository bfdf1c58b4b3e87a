using AgentHost.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentHost.Telemetry;

public static class TelemetryRegistration
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TelemetryOptions>()
            .Bind(builder.Configuration.GetSection(TelemetryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

        // Log scopes (RunId, AgentId) become log record attributes, so logs join their run's trace.
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeScopes = true;
            logging.IncludeFormattedMessage = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(options.ServiceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}")
                .AddAttributes([new("agenthost.role", builder.Role().ToString().ToLowerInvariant())]))
            .WithTracing(tracing => tracing
                .AddSource(AgentHostTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments("/readyz"))

                // Tokens travel in Authorization headers, which the instrumentation never records, and it
                // redacts query-string values by default.
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(AgentHostTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());

        if (options.OtlpEndpoint is { } endpoint)
        {
            telemetry.UseOtlpExporter(
                options.Protocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
                endpoint);
        }

        return builder;
    }
}
