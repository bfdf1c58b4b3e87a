using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AgentHost.Hosting;

/// <summary>
/// What every request meets first: the proxy's forwarded headers (when one is configured), size limits and
/// RFC 9457 problem details for every error, in every environment.
/// </summary>
public static class EdgeRegistration
{
    /// <summary>No API body legitimately approaches this; larger ones are refused with 413, not buffered.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddEdge(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails();

        // A body that does not bind (broken JSON, wrong content type, too large) is the caller's mistake: 400,
        // 415 or 413 as problem details in every environment. Development's default throws instead, which
        // the exception handler turned into a 500.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = false);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = MaxRequestBodyBytes);
        builder.Services.AddHealthChecks();
        AddProxy(builder);
        return builder;
    }

    private static void AddProxy(WebApplicationBuilder builder)
    {
        var proxy = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Only the proxies named here are believed; the defaults (loopback) are not assumed.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = proxy.ForwardLimit;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in ProxyOptions.Items(proxy.KnownProxies))
            {
                forwarded.KnownProxies.Add(IPAddress.TryParse(address, out var ip) ? ip
                    : throw new InvalidOperationException($"Proxy:KnownProxies: '{address}' is not an IP address"));
            }

            foreach (var network in ProxyOptions.Items(proxy.KnownNetworks))
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range) ? range
                    : throw new InvalidOperationException($"Proxy:KnownNetworks: '{network}' is not a CIDR range"));
            }
        });
    }

    public static WebApplication UseEdge(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>()?.Configured == true)
        {
            app.UseForwardedHeaders();
        }

        // A browser asking for a page gets a page with the navigation (Web/Pages/Error.cshtml); the API,
        // Slack's callbacks and the probes keep RFC 9457 problem details.
        app.UseWhen(WantsPage, page =>
        {
            page.UseExceptionHandler(ErrorPagePath.Replace("{0}", "500", StringComparison.Ordinal));
            page.UseStatusCodePagesWithReExecute(ErrorPagePath);
        });
        app.UseWhen(context => !WantsPage(context), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.Use(static (context, next) =>
        {
            // TestServer ignores Kestrel's limit; enforce the same one for every server.
            if (context.Request.ContentLength > MaxRequestBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return Task.CompletedTask;
            }

            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = MaxRequestBodyBytes;
            }

            return next(context);
        });

        // Routing after the error handlers, so the request they re-execute (/error/{code}) is routed afresh;
        // the implicit routing WebApplication adds would run before them, once.
        app.UseRouting();
        return app;
    }

    /// <summary>Re-executed for a browser's error status: the status code fills {0}.</summary>
    public const string ErrorPagePath = "/error/{0}";

    private static readonly string[] MachinePaths = ["/api", "/slack", "/openapi", "/healthz", "/readyz", "/web"];

    /// <summary>A browser (Accept: text/html) asking for anything but the API, Slack's callbacks, the probes or a stylesheet.</summary>
    public static bool WantsPage(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        return !MachinePaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
            && request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", ApiRegistration.Healthy).AllowAnonymous();
        app.MapHealthChecks("/readyz").AllowAnonymous();
        return app;
    }
}
