using System.Net;
using Microsoft.Extensions.Options;

namespace AgentHost.Audit.Siem;

/// <summary>
/// Refuses a stream that could not work, naming the key: a host that would drop audit events quietly is
/// worse than one that does not start. Given the configuration, it also catches a destination the binder
/// left out: a list entry with a value of the wrong type (Kind: kafka, Port: x) is dropped without a word.
/// </summary>
public sealed class SiemStreamOptionsValidator(IConfiguration? configuration = null) : IValidateOptions<SiemStreamOptions>
{
    public const int MinimumSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, SiemStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (options.MaxBackoff < options.InitialBackoff)
        {
            failures.Add($"{SiemStreamOptions.Section}:MaxBackoff must not be shorter than InitialBackoff");
        }

        var configured = configuration?.GetSection(SiemStreamOptions.Section).GetSection(nameof(SiemStreamOptions.Destinations)).GetChildren().ToList() ?? [];
        foreach (var entry in configured)
        {
            if (!Enum.TryParse<SiemDestinationKind>(entry[nameof(SiemDestinationOptions.Kind)], ignoreCase: true, out var kind) || kind == SiemDestinationKind.None || !Enum.IsDefined(kind))
            {
                failures.Add($"{entry.Path}:Kind must be syslog or webhook");
            }
        }

        if (configured.Count > options.Destinations.Count && failures.Count == 0)
        {
            failures.Add($"{SiemStreamOptions.Section}:Destinations has {configured.Count} entries but only {options.Destinations.Count} could be read: check each value's type (Port a number, Tls true or false, Url a URL)");
        }

        for (var i = 0; i < options.Destinations.Count; i++)
        {
            var d = options.Destinations[i];
            var key = $"{SiemStreamOptions.Section}:Destinations:{i}";
            if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Length > 64 || !d.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                failures.Add($"{key}:Name must be 1 to 64 letters, digits, '-', '_' or '.'");
            }
            else if (!names.Add(d.Name))
            {
                failures.Add($"{key}:Name '{d.Name}' is used by another destination (names compare ignoring case)");
            }

            switch (d.Kind)
            {
                case SiemDestinationKind.Syslog:
                    if (string.IsNullOrWhiteSpace(d.Host))
                    {
                        failures.Add($"{key}:Host is required for a syslog destination");
                    }

                    if (d.Port is < 0 or > 65535)
                    {
                        failures.Add($"{key}:Port must be between 1 and 65535");
                    }

                    if (d.Facility is < 0 or > 23)
                    {
                        failures.Add($"{key}:Facility must be between 0 and 23 (RFC 5424)");
                    }

                    if (d.TlsCaFile is { } ca && !File.Exists(ca))
                    {
                        failures.Add($"{key}:TlsCaFile '{ca}' does not exist");
                    }

                    break;
                case SiemDestinationKind.Webhook:
                    if (d.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && IsLoopback(url))))
                    {
                        failures.Add($"{key}:Url must be an absolute https URL (http only on loopback)");
                    }

                    // The value is never echoed: only its length is judged.
                    if (d.Secret is null || d.Secret.Length < MinimumSecretLength)
                    {
                        failures.Add($"{key}:Secret is required for a webhook and must be at least {MinimumSecretLength} characters");
                    }

                    break;
                default:
                    failures.Add($"{key}:Kind must be syslog or webhook");
                    break;
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Distinct(StringComparer.Ordinal));
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.IdnHost, out var address) && IPAddress.IsLoopback(address));
}
