using System.Security.Claims;
using AgentHost.Core.Directory;
using Microsoft.AspNetCore.Authentication;

namespace AgentHost.Auth;

/// <summary>
/// Roles and groups come from the directory, not from the identity provider's token, so that one file
/// (reviewed like code) decides who may approve and who may read the audit trail.
/// </summary>
public sealed class DirectoryClaimsTransformation(EmployeeDirectory directory) : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identities.Any(i => i.AuthenticationType == DevUserAuthenticationHandler.SchemeName))
        {
            return Task.FromResult(principal);
        }

        var email = principal.FindFirstValue(ClaimTypes.Email) ?? principal.FindFirstValue("email");
        var employee = email is null ? null : directory.FindByEmail(email);
        return Task.FromResult(employee is null
            ? new ClaimsPrincipal(new ClaimsIdentity())
            : new ClaimsPrincipal(AgentHostClaims.ForEmployee(employee, "OpenIdConnect")));
    }
}
