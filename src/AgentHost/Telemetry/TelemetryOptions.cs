using System.ComponentModel.DataAnnotations;

namespace AgentHost.Telemetry;

/// <summary>
/// Where traces, metrics and logs go. Without an endpoint they are still produced (and tests can read
/// them) but nothing leaves the process: a host with no collector must not hang on an exporter.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>OTLP collector, e.g. http://otel-collector:4317 (gRPC) or :4318 with Protocol=HttpProtobuf.</summary>
    public Uri? OtlpEndpoint { get; set; }

    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.Grpc;

    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "Telemetry:ServiceName is 1 to 64 letters, digits, '.', '_' or '-'")]
    public string ServiceName { get; set; } = "agenthost";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint is not null && (!OtlpEndpoint.IsAbsoluteUri || OtlpEndpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Telemetry:OtlpEndpoint must be an absolute http(s) URL of an OTLP collector", [nameof(OtlpEndpoint)]);
        }
    }
}
