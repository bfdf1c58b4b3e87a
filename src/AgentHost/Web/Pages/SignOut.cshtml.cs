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

    public async Task<IActionResult> OnPostAsync()
    {
        if (options.Value.Mode == AuthMode.OpenIdConnect)
        {
            // The provider comes back to /signout-callback-oidc, which redirects to RedirectUri.
            return SignOut(new AuthenticationProperties { RedirectUri = SignedOutPath }, CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect(SignedOutPath);
    }
}
