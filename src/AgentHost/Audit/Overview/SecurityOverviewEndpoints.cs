using System.ComponentModel.DataAnnotations;
using AgentHost.Auth;
using AgentHost.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Audit.Overview;

/// <summary>The security overview: for security reviewers and admins, like the rest of /api/audit.</summary>
public static class SecurityOverviewEndpoints
{
    public static WebApplicationBuilder AddSecurityOverview(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SecurityOverview>();
        return builder;
    }

    public static WebApplication MapSecurityOverview(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/api/audit").RequireAuthorization(AuthRegistration.SecurityReviewers).WithTags("Audit")
            .MapGet("/overview", ReadAsync);
        return app;
    }

    private static async Task<Ok<SecurityOverviewReport>> ReadAsync([AsParameters] SecurityOverviewQuery query, SecurityOverview overview, CancellationToken cancellationToken) =>
        TypedResults.Ok(await overview.ReadAsync((int)(QueryValues.Number(query.Days) ?? SecurityOverview.DefaultDays), cancellationToken));
}

/// <summary>GET /api/audit/overview: the last days UTC days, today included (default 7).</summary>
public sealed record SecurityOverviewQuery(
    [property: WholeNumber(1, SecurityOverview.MaxDays)] string? Days);
