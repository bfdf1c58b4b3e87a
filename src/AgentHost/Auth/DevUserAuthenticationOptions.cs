using Microsoft.AspNetCore.Authentication;

namespace AgentHost.Auth;

public sealed class DevUserAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>False outside Auth:Mode=Development: the header is then refused and audited, never trusted.</summary>
    public bool Enabled { get; set; }
}
