using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Runs;

public static class RunEndpoints
{
    public const int MaxInputLength = RunStarter.MaxInputLength;

    public static WebApplication MapRuns(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/api/agents").WithTags("Runs").MapPost("/{id}/runs", StartAsync);
        app.MapGroup("/api/runs").WithTags("Runs").MapGet("/{id}", GetAsync);
        return app;
    }

    private static async Task<Results<Accepted<RunAccepted>, ValidationProblem, ProblemHttpResult>> StartAsync(string id, StartRunRequest? body, HttpContext context, RunStarter starter, CancellationToken cancellationToken)
    {
        var start = await starter.StartAsync(context.User, id, body?.Input, body?.DryRun ?? false, cancellationToken);
        return start switch
        {
            { Run: { } run } => TypedResults.Accepted($"/api/runs/{run.Id}", new RunAccepted(run.Id)),
            { RetryAfter: { } wait } => TooMany(context, wait, start),
            { Field: { } field } => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [start.Title!] }),
            { Status: StatusCodes.Status404NotFound } => TypedResults.Problem(statusCode: start.Status, title: start.Title, detail: $"no agent '{id}' that you may see"),
            _ => TypedResults.Problem(statusCode: start.Status, title: start.Title),
        };
    }

    private static ProblemHttpResult TooMany(HttpContext context, TimeSpan wait, RunStart start)
    {
        context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: start.Status, title: start.Title, detail: start.Detail);
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(string id, HttpContext context, RunStore runs, AgentStore agents, AgentAccess access, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        var agent = run is null ? null : await agents.GetAsync(run.AgentId, cancellationToken);
        if (run is null || agent is null || !access.CanRead(context.User, agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run", detail: $"no run '{id}' that you may see");
        }

        return TypedResults.Ok(RunView.From(run, await runs.ToolCallsAsync(run.Id, cancellationToken)));
    }
}
