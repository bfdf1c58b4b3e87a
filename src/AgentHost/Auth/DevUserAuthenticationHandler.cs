using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AgentHost.Auth;

/// <summary>
/// Development sign-in: the caller names a directory user in X-Dev-User. Accepted only from a loopback
/// address, because anyone who can reach the port could otherwise be anyone.
/// </summary>
public sealed class DevUserAuthenticationHandler(
    IOptionsMonitor<DevUserAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    EmployeeDirectory directory)
    : AuthenticationHandler<DevUserAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevUser";
    public const string HeaderName = "X-Dev-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var email = values.ToString().Trim();
        var remote = Context.Connection.RemoteIpAddress;
        string? refusal = !Options.Enabled ? "development sign-in is disabled in this Auth:Mode"
            : remote is null || !IPAddress.IsLoopback(remote) ? "development sign-in is accepted from loopback only"
            : directory.FindByEmail(email) is null ? "unknown user"
            : null;
        if (refusal is null)
        {
            var identity = AgentHostClaims.ForEmployee(directory.FindByEmail(email)!, SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }

        // Counted with the request's 401 (RefusedRequests): the claimed name is data, not the actor.
        AuditedAuthorizationResultHandler.SetRefusal(Context, refusal);
        return Task.FromResult(AuthenticateResult.Fail(refusal));
    }
}
