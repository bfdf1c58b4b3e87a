using System.ComponentModel.DataAnnotations;

namespace AgentHost.Auth;

public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.Development;

    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode != AuthMode.OpenIdConnect)
        {
            yield break;
        }

        if (!Uri.TryCreate(OpenIdConnect.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult("Auth:OpenIdConnect:Authority must be an https URL when Auth:Mode=OpenIdConnect", ["OpenIdConnect.Authority"]);
        }

        if (string.IsNullOrWhiteSpace(OpenIdConnect.ClientId))
        {
            yield return new ValidationResult("Auth:OpenIdConnect:ClientId is required when Auth:Mode=OpenIdConnect", ["OpenIdConnect.ClientId"]);
        }
    }
}
