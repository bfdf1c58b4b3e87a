using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;

namespace AgentHost.Runs;

public static class RunEndpoints
{
    public const int MaxInputLength = RunStarter.MaxInputLength;

    public static WebApplication MapRuns(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/agents/{id}/runs", StartAsync);
        app.MapGet("/api/runs/{id}", GetAsync);
        return app;
    }

    private static async Task<IResult> StartAsync(string id, StartRunRequest? body, HttpContext context, RunStarter starter, CancellationToken cancellationToken)
    {
        var start = await starter.StartAsync(context.User, id, body?.Input, cancellationToken);
        return start switch
        {
            { Run: { } run } => Results.Accepted($"/api/runs/{run.Id}", new { runId = run.Id }),
            { RetryAfter: { } wait } => TooMany(context, wait, start),
            { Field: { } field } => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [start.Title!] }),
            { Status: StatusCodes.Status404NotFound } => Results.Problem(statusCode: start.Status, title: start.Title, detail: $"no agent '{id}' that you may see"),
            _ => Results.Problem(statusCode: start.Status, title: start.Title),
        };
    }

    private static IResult TooMany(HttpContext context, TimeSpan wait, RunStart start)
    {
        context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: start.Status, title: start.Title, detail: start.Detail);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, RunStore runs, AgentStore agents, AgentAccess access, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        var agent = run is null ? null : await agents.GetAsync(run.AgentId, cancellationToken);
        if (run is null || agent is null || !access.CanRead(context.User, agent))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run", detail: $"no run '{id}' that you may see");
        }

        return Results.Ok(new
        {
            id = run.Id,
            agentId = run.AgentId,
            requester = run.Requester,
            startedBy = run.StartedBy,
            input = run.Input,
            status = run.Status,
            turns = run.Turns,
            tokens = new { input = run.InputTokens, output = run.OutputTokens, total = run.Tokens },
            output = run.Output,
            stopReason = run.StopReason,
            createdAt = run.CreatedAt,
            finishedAt = run.FinishedAt,
            toolCalls = await runs.ToolCallsAsync(run.Id, cancellationToken),
        });
    }
}
