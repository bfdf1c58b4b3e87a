using AgentHost.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AgentHost.Web.Pages;

/// <summary>
/// Ends the local session and, in OpenIdConnect mode, the provider's too (RP-initiated logout: the
/// provider's end_session_endpoint with id_token_hint and post_logout_redirect_uri); otherwise the next
/// "Sign in" would be waved through by the provider without a password.
/// </summary>
public sealed class SignOutModel(IOptions<AuthOptions> options) : PageModel
{
    public const string SignedOutPath = "/signin?signedout=1";

    public IActionResult OnGet() => RedirectToPage("/SignIn");

    public IActionResult OnPost()
    {
        var properties = new AuthenticationProperties { RedirectUri = SignedOutPath };
        return options.Value.Mode == AuthMode.OpenIdConnect
            ? SignOut(properties, CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme)
            : SignOut(properties, CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
