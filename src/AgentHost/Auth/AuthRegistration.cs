using AgentHost.Core.Directory;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;

namespace AgentHost.Auth;

public static class AuthRegistration
{
    public const string SecurityReviewers = "SecurityReviewers";
    public const string SignInPath = "/signin";
    private const string SelectScheme = "AgentHost";

    public static WebApplicationBuilder AddAgentHostAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

        var development = options.Mode == AuthMode.Development;
        var authentication = builder.Services.AddAuthentication(SelectScheme)
            .AddPolicyScheme(SelectScheme, "X-Dev-User or the browser's sign-in cookie", policy =>
                // The header always goes to its handler, which refuses it outside Development mode (and audits
                // the attempt); without it, a browser's cookie decides, whatever the mode.
                policy.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(DevUserAuthenticationHandler.HeaderName)
                        ? DevUserAuthenticationHandler.SchemeName
                        : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<DevUserAuthenticationOptions, DevUserAuthenticationHandler>(DevUserAuthenticationHandler.SchemeName, dev => dev.Enabled = development)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "agenthost.auth";
                cookie.Cookie.HttpOnly = true;

                // Development mode serves http://127.0.0.1 (the embedded default, the browser tests): a
                // Secure-only cookie would never come back there. Every other mode stays https-only.
                cookie.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.LoginPath = SignInPath;
                cookie.AccessDeniedPath = PathString.Empty;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            });

        if (options.Mode == AuthMode.OpenIdConnect)
        {
            authentication.AddOpenIdConnect(oidc =>
            {
                oidc.Authority = options.OpenIdConnect.Authority;
                oidc.ClientId = options.OpenIdConnect.ClientId;
                oidc.ClientSecret = options.OpenIdConnect.ClientSecret;
                oidc.ResponseType = "code";
                oidc.Scope.Add("email");
                oidc.SaveTokens = false;
                oidc.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            });
            builder.Services.AddTransient<IClaimsTransformation, DirectoryClaimsTransformation>();
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(SecurityReviewers, policy => policy.RequireRole(Roles.Security, Roles.Admin));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>
    /// An API client gets a status (401 as problem details), never a redirect to an HTML page; a browser
    /// asking for a page is sent to sign in. A forbidden page is a plain 403 for both.
    /// </summary>
    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var request = context.Request;
        if (status == StatusCodes.Status401Unauthorized && HttpMethods.IsGet(request.Method)
            && !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/slack"))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
