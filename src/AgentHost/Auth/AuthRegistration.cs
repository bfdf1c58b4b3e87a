using AgentHost.Core.Employees;
using AgentHost.Hosting;
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
        builder.AddSecretSettings("Auth:OpenIdConnect:ClientSecret");
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

        var development = options.Mode == AuthMode.Development;
        builder.AddDeploymentDataProtection(options);

        // Plain http to the provider, and so http for this host's cookies, only with a provider on loopback (tests).
        var loopbackProvider = !development && Uri.TryCreate(options.OpenIdConnect.Authority, UriKind.Absolute, out var authority) && AuthOptions.IsLoopback(authority);
        var authentication = builder.Services.AddAuthentication(SelectScheme)
            .AddPolicyScheme(SelectScheme, "X-Dev-User or the browser's sign-in cookie", policy =>
                // The header always goes to its handler, which refuses it outside Development mode (the 401 is
                // counted in RefusedRequests); without it, a browser's cookie decides, and the cookie's own
                // validation refuses an identity of another mode's kind (SignInIdentities).
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
                // Secure-only cookie would never come back there. So does a host signing in at a provider on
                // loopback (the OpenID Connect tests). Every other mode stays https-only.
                cookie.Cookie.SecurePolicy = development || loopbackProvider ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.LoginPath = SignInPath;
                cookie.AccessDeniedPath = PathString.Empty;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
                cookie.Events.OnValidatePrincipal = context => SignInIdentities.ValidateAsync(context, options.Mode);
            });

        if (options.Mode == AuthMode.OpenIdConnect)
        {
            authentication.AddOpenIdConnect(oidc => ConfigureOpenIdConnect(oidc, options.OpenIdConnect, loopbackProvider));
        }

        builder.Services.AddSingleton<RefusedRequests>();
        builder.Services.AddSingleton<RefusedRequestsFlusher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RefusedRequestsFlusher>());
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(SecurityReviewers, policy => policy.RequireRole(Roles.Security, Roles.Admin));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResultHandler>();
        return builder;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, OpenIdConnectSettings settings, bool loopbackProvider)
    {
        oidc.Authority = settings.Authority;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = settings.ClientSecret;
        oidc.RequireHttpsMetadata = !loopbackProvider;
        oidc.ResponseType = "code";
        oidc.UsePkce = true;

        // The code comes back on a top-level GET, so the correlation and nonce cookies can stay SameSite=Lax
        // (form_post would need SameSite=None, and so https, even for the loopback test provider).
        oidc.ResponseMode = "query";
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "email" })
        {
            oidc.Scope.Add(scope);
        }

        // A spec-following provider puts scope claims (email) in userinfo, not in the ID token of the code flow.
        oidc.GetClaimsFromUserInfoEndpoint = true;
        oidc.MapInboundClaims = false;
        oidc.ClaimActions.MapUniqueJsonKey("preferred_username", "preferred_username");
        oidc.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");

        // The ID token is kept in the sign-in cookie for one purpose: id_token_hint when signing out at the provider.
        oidc.SaveTokens = true;
        oidc.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        oidc.SignOutScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        oidc.TokenValidationParameters.ValidateIssuer = true;
        oidc.TokenValidationParameters.ValidateAudience = true;
        oidc.CorrelationCookie.SameSite = oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        if (loopbackProvider)
        {
            oidc.CorrelationCookie.SecurePolicy = oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }

        oidc.Events.OnTicketReceived = OpenIdConnectSignIn.TicketReceivedAsync;
        oidc.Events.OnRemoteFailure = OpenIdConnectSignIn.RemoteFailureAsync;
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
