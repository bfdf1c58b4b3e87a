using AgentHost.Auth;

namespace AgentHost.Web;

/// <summary>
/// The browser UI: server-rendered Razor Pages over the same services as the API, antiforgery on every
/// form (Razor Pages validate it on every POST), and one stylesheet served from this host, never a CDN.
/// </summary>
public static class WebRegistration
{
    public const string StylesheetPath = "/web/site.css";

    /// <summary>The run page's in-place updater (wwwroot/run-live.js), for signed-in people only.</summary>
    public const string RunLiveScriptPath = "/web/run-live.js";

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<RunTimeline>();
        builder.Services.AddSingleton<PolicyPreview>();
        builder.Services.AddSingleton<PendingApprovalCount>();
        builder.Services.AddSingleton<ModelStatus>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ModelStatus>());
        builder.Services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Web/Pages";
            pages.Conventions.AuthorizeFolder("/Audit", AuthRegistration.SecurityReviewers);
            pages.Conventions.AuthorizeFolder("/Security", AuthRegistration.SecurityReviewers);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
            pages.Conventions.AllowAnonymousToPage("/Error"); // a 404 before sign-in is a page too
            pages.Conventions.AddPageRoute("/Agents/Edit", "/agents/new");
        });
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "agenthost.antiforgery";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The sign-in page needs its stylesheet before anyone is signed in; it holds nothing secret.
        app.MapGet(StylesheetPath, (IWebHostEnvironment environment) =>
            Results.File(environment.WebRootFileProvider.GetFileInfo("site.css").CreateReadStream(), "text/css; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription(); // a page's stylesheet, not part of the API
        app.MapGet(RunLiveScriptPath, (IWebHostEnvironment environment) =>
            Results.File(environment.WebRootFileProvider.GetFileInfo("run-live.js").CreateReadStream(), "text/javascript; charset=utf-8"))
            .ExcludeFromDescription(); // a page's script, not part of the API
        app.MapRazorPages();
        return app;
    }
}
