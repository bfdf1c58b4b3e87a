using System.Security.Claims;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace AgentHost.Auth;

/// <summary>
/// The host's side of a sign-in at the OpenID provider: the provider says who signed in (its e-mail
/// claim, else preferred_username, compared case-insensitively), the directory says whether that is an
/// employee and with which roles. Anyone else, and any answer the handler refused (another issuer, another
/// audience, a bad signature), lands on the sign-in page with a plain message and is counted as a refusal.
/// </summary>
public static partial class OpenIdConnectSignIn
{
    public const string RefusedPath = "/signin?refused=1";

    /// <summary>The directory's employee the claims name, or why there is none.</summary>
    public static (Employee? Employee, string? Claimed, string? Refusal) Map(ClaimsPrincipal principal, EmployeeDirectory directory, bool acceptPreferredUsername = true)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(directory);
        var emails = principal.FindAll("email").Select(c => c.Value.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (emails.Count > 1)
        {
            return (null, emails[0], "the provider sent more than one e-mail address");
        }

        var email = emails.SingleOrDefault();
        if (email is not null)
        {
            // An address the provider has not verified is somebody's claim, not an identity.
            var verified = principal.FindFirst("email_verified")?.Value;
            if (string.Equals(verified, "false", StringComparison.OrdinalIgnoreCase))
            {
                return (null, email, "the provider has not verified this e-mail address");
            }

            var byEmail = directory.FindByEmail(email);
            return byEmail is null ? (null, email, "not an employee in the directory") : (byEmail, email, null);
        }

        var username = acceptPreferredUsername ? principal.FindFirst("preferred_username")?.Value?.Trim() : null;
        if (string.IsNullOrEmpty(username))
        {
            return (null, principal.FindFirst("sub")?.Value, acceptPreferredUsername
                ? "the provider sent neither email nor preferred_username"
                : "the provider sent no email (preferred_username is not accepted here)");
        }

        var byName = directory.FindByEmail(username);
        return byName is null ? (null, username, "not an employee in the directory") : (byName, username, null);
    }

    public static Task TicketReceivedAsync(TicketReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenIdConnectSignIn));
        var settings = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.OpenIdConnect;
        var (employee, claimed, refusal) = Map(context.Principal ?? new ClaimsPrincipal(), services.GetRequiredService<EmployeeDirectory>(), settings.AcceptPreferredUsername);
        if (employee is null)
        {
            LogRefused(logger, refusal!);
            services.GetRequiredService<RefusedRequests>().Record(context.HttpContext, AuditEventTypes.AuthDenied, RefusedRequests.Kinds.SignIn, refusal!, claimedUser: claimed);
            context.Response.Redirect(RefusedPath);
            context.HandleResponse();
            return Task.CompletedTask;
        }

        LogSignedIn(logger, employee.Email);
        context.Principal = new ClaimsPrincipal(AgentHostClaims.ForEmployee(employee, SignInIdentities.OpenIdConnect));
        return Task.CompletedTask;
    }

    /// <summary>The handler refused the provider's answer (state, issuer, audience, signature, nonce...).</summary>
    public static Task RemoteFailureAsync(RemoteFailureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var reason = $"the provider's answer was refused: {context.Failure?.GetType().Name}: {context.Failure?.Message}";
        LogRefused(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenIdConnectSignIn)), reason);
        services.GetRequiredService<RefusedRequests>().Record(context.HttpContext, AuditEventTypes.AuthDenied, RefusedRequests.Kinds.SignIn, reason);
        context.Response.Redirect(RefusedPath);
        context.HandleResponse();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenID Connect sign-in refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenID Connect sign-in of {Employee}")]
    private static partial void LogSignedIn(ILogger logger, string employee);
}
