using System.Security.Claims;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AgentHost.Auth;

/// <summary>
/// Which sign-in cookies this host honours. Each identity records how it was signed in; a host in
/// OpenIdConnect mode accepts only identities its provider vouched for, so a Development cookie is refused
/// even if it was protected with this host's keys. Roles and groups are read from the directory again on
/// every request: removing someone from the file ends their session at the next click.
/// </summary>
public static class SignInIdentities
{
    /// <summary>The user picker of Development mode.</summary>
    public const string DevelopmentCookie = "DevelopmentCookie";

    /// <summary>A sign-in at the OpenID provider, mapped to the directory.</summary>
    public const string OpenIdConnect = "OpenIdConnect";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context, AuthMode mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Principal?.Identity?.AuthenticationType;
        var expected = mode == AuthMode.Development ? DevelopmentCookie : OpenIdConnect;
        var directory = context.HttpContext.RequestServices.GetRequiredService<EmployeeDirectory>();
        var email = context.Principal?.FindFirstValue(ClaimTypes.Email);
        var employee = email is null ? null : directory.FindByEmail(email);
        string? refusal = !string.Equals(type, expected, StringComparison.Ordinal)
            ? $"a sign-in cookie of kind '{type}' is not accepted in Auth:Mode={mode}"
            : employee is null ? "the signed-in employee is no longer in the directory"
            : null;
        if (refusal is not null)
        {
            AuditedAuthorizationResultHandler.SetRefusal(context.HttpContext, refusal);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(new ClaimsPrincipal(AgentHostClaims.ForEmployee(employee!, expected)));
    }
}
