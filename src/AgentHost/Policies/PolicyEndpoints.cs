using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Policies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Policies;

public static class PolicyEndpoints
{
    public static WebApplication MapPolicies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = app.MapGroup("/api/policy").WithTags("Policies");
        policy.MapGet("/", (PolicyProvider provider, PolicyHistory history) => TypedResults.Ok(PolicySetView.From(provider.Current, history.Recent())));
        policy.MapPost("/evaluate", Evaluate);
        policy.MapPost("/replay", Replay).RequireAuthorization(AuthRegistration.SecurityReviewers);
        return app;
    }

    private static async Task<Results<Ok<EvaluationView>, ProblemHttpResult, ValidationProblem>> Evaluate(EvaluateRequest body, HttpContext context, PolicyProvider provider, EmployeeDirectory directory, AgentStore agents, AgentAccess access, AgentHost.Core.Tools.ToolCatalog catalog, CancellationToken cancellationToken)
    {
        if (body.AgentId is { } agentId)
        {
            var stored = await agents.GetAsync(agentId, cancellationToken);
            if (stored is null || !access.CanRead(context.User, stored))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such agent", detail: $"no agent '{agentId}' that you may see");
            }

            body = body with { Agent = EvaluateAgent.From(stored) };
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var request = EvaluateRequestReader.Read(body, context.User.Email(), directory, catalog, errors);
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(EvaluationView.From(provider.Current.Evaluate(request, directory)));
    }

    /// <summary>What a candidate set would decide differently over the recorded calls of a period; security and admins.</summary>
    private static async Task<Results<Ok<ReplayView>, ValidationProblem>> Replay(ReplayRequest body, PolicyProvider provider, PolicyReplayer replayer, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (ReplayCandidate.Read(body, provider, replayer.DefaultWindow, errors) is not var (candidate, window))
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await replayer.ReplayViewAsync(provider.Current, candidate, window, cancellationToken));
    }
}
