using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Hosting;

/// <summary>
/// The JSON API's conventions (docs/api.md): DataAnnotations on query and body records checked by .NET's
/// minimal-API validation before a handler runs, and an OpenAPI document of every endpoint at
/// /openapi/v1.json, for signed-in callers like the rest of the API.
/// </summary>
public static class ApiRegistration
{
    public const string DocumentName = "v1";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidation();
        builder.Services.AddOpenApi(DocumentName, options => options.AddSchemaTransformer(SnakeCaseEnumSchemas.DescribeAsync));
        builder.Services.Configure<ProblemDetailsOptions>(options =>
        {
            var earlier = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                earlier?.Invoke(context);
                ValidationKeys.CamelCase(context.ProblemDetails);
            };
        });
        return builder;
    }

    /// <summary>The document describes the API to whoever may call it; the fallback policy keeps it behind sign-in.</summary>
    public static WebApplication MapApiDocument(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>The health probe's answer.</summary>
    internal static Ok<HealthStatus> Healthy() => TypedResults.Ok(new HealthStatus("ok"));
}

/// <summary>GET /healthz: the process answers.</summary>
public sealed record HealthStatus(string Status);
