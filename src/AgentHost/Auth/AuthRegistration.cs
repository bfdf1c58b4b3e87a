using AgentHost.Core.Directory;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;

namespace AgentHost.Auth;

public static class AuthRegistration
{
    public const string SecurityReviewers = "SecurityReviewers";
    private const string SelectScheme = "AgentHost";

    public static WebApplicationBuilder AddAgentHostAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

        var authentication = builder.Services.AddAuthentication(SelectScheme)
            .AddPolicyScheme(SelectScheme, "X-Dev-User or the configured sign-in", policy =>
                policy.ForwardDefaultSelector = context =>
                    options.Mode == AuthMode.Development || context.Request.Headers.ContainsKey(DevUserAuthenticationHandler.HeaderName)
                        ? DevUserAuthenticationHandler.SchemeName
                        : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<DevUserAuthenticationOptions, DevUserAuthenticationHandler>(DevUserAuthenticationHandler.SchemeName, dev => dev.Enabled = options.Mode == AuthMode.Development)
            .AddCookie(cookie =>
            {
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
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
}
