using System.Net;
using System.Security.Claims;
using AgentHost.Auth;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AgentHost.Web.Pages;

/// <summary>
/// Development mode: a user picker that issues the sign-in cookie, from loopback only (the same rule as
/// X-Dev-User). OpenID Connect mode: a button that hands over to the identity provider, whose claims
/// the directory maps to roles.
/// </summary>
public sealed class SignInModel(IOptions<AuthOptions> options, EmployeeDirectory directory, RefusedRequests refusals) : PageModel
{
    public bool Development => options.Value.Mode == AuthMode.Development;

    public IEnumerable<Employee> Employees => directory.Employees.OrderBy(e => e.Email, StringComparer.OrdinalIgnoreCase);

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    /// <summary>Set by the OpenID Connect handler after a refused sign-in (not an employee, or a refused token).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Refused { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? SignedOut { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? email)
    {
        var target = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/agents";
        if (!Development)
        {
            return Challenge(new AuthenticationProperties { RedirectUri = target }, OpenIdConnectDefaults.AuthenticationScheme);
        }

        var remote = HttpContext.Connection.RemoteIpAddress;
        var employee = email is null ? null : directory.FindByEmail(email.Trim());
        var refusal = remote is null || !IPAddress.IsLoopback(remote) ? "development sign-in is accepted from loopback only"
            : employee is null ? "unknown user"
            : null;
        if (refusal is not null)
        {
            refusals.Record(HttpContext, AuditEventTypes.AuthDenied, RefusedRequests.Kinds.SignIn, refusal, claimedUser: email);
            Error = refusal;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        var principal = new ClaimsPrincipal(AgentHostClaims.ForEmployee(employee!, SignInIdentities.DevelopmentCookie));
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return LocalRedirect(target);
    }
}
