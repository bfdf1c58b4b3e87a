using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AgentHost.Auth;

public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.Development;

    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    public DataProtectionSettings DataProtection { get; set; } = new();

    /// <summary>
    /// Plain http to the identity provider is accepted for a provider on this machine only (the tests'
    /// provider on 127.0.0.1): anywhere else its discovery document and keys could be replaced in transit.
    /// </summary>
    public static bool IsLoopback(Uri authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return authority.IsLoopback || (IPAddress.TryParse(authority.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode != AuthMode.OpenIdConnect)
        {
            yield break;
        }

        if (!Uri.TryCreate(OpenIdConnect.Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && IsLoopback(authority))))
        {
            yield return new ValidationResult("Auth:OpenIdConnect:Authority must be an https URL when Auth:Mode=OpenIdConnect (http only for a provider on loopback)", ["OpenIdConnect.Authority"]);
        }

        if (string.IsNullOrWhiteSpace(OpenIdConnect.ClientId))
        {
            yield return new ValidationResult("Auth:OpenIdConnect:ClientId is required when Auth:Mode=OpenIdConnect", ["OpenIdConnect.ClientId"]);
        }
    }
}
