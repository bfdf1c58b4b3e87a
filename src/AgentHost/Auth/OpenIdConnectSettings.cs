namespace AgentHost.Auth;

public sealed class OpenIdConnectSettings
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// Whether preferred_username names the employee when the provider sends no email claim. OpenID Connect
    /// does not promise that claim is unique or fixed: turn this off for a provider whose users choose it.
    /// </summary>
    public bool AcceptPreferredUsername { get; set; } = true;
}
