using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentHost.Core.Audit;
using AgentHost.Core.Directory;
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
    EmployeeDirectory directory,
    IAuditLog audit)
    : AuthenticationHandler<DevUserAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevUser";
    public const string HeaderName = "X-Dev-User";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
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
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }

        // The claimed name is recorded as data, not as the actor: nobody was authenticated.
        await audit.AppendAsync(
            new AuditEntry(AuditEventTypes.AuthDenied, AuditActor.System, Data: new()
            {
                ["reason"] = refusal,
                ["claimedUser"] = email.Length > 256 ? email[..256] : email,
                ["remoteAddress"] = remote?.ToString(),
                ["path"] = Request.Path.Value,
            }),
            Context.RequestAborted);
        return AuthenticateResult.Fail(refusal);
    }
}
