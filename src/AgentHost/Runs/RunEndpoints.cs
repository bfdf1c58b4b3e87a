using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;

namespace AgentHost.Runs;

public static class RunEndpoints
{
    public const int MaxInputLength = 20_000;

    public static WebApplication MapRuns(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/agents/{id}/runs", StartAsync);
        app.MapGet("/api/runs/{id}", GetAsync);
        return app;
    }

    private static async Task<IResult> StartAsync(string id, StartRunRequest? body, HttpContext context, AgentStore agents, AgentAccess access, RunStore runs, RunDispatcher dispatcher, AgentRateLimits limits, IAuditLog audit, CancellationToken cancellationToken)
    {
        var agent = await agents.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such agent", detail: $"no agent '{id}' that you may see");
        }

        if (!AgentAccess.CanEdit(context.User, agent))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the owner runs an agent by hand");
        }

        if (string.IsNullOrWhiteSpace(body?.Input) || body.Input.Length > MaxInputLength)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["input"] = [$"is required, at most {MaxInputLength} characters"] });
        }

        if (agent.Disabled)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The agent is disabled");
        }

        var budgets = agent.Definition.Budgets ?? AgentBudgets.Default;
        if (await runs.UnfinishedCountAsync(agent.Id, cancellationToken) >= budgets.MaxConcurrentRuns)
        {
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many runs", detail: $"the agent allows {budgets.MaxConcurrentRuns} concurrent runs");
        }

        if (await limits.CheckRunAsync(agent.Id, AuditActor.Employee(context.User.Email()), cancellationToken) is { } refusal)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(refusal.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many runs this hour", detail: refusal.Message);
        }

        var run = await runs.CreateAsync(agent.Id, context.User.Email(), body.Input, cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunQueued, AuditActor.Employee(run.Requester), agent.Id, run.Id, new() { ["input"] = run.Input }), cancellationToken);
        dispatcher.Enqueue(run.Id);
        return Results.Accepted($"/api/runs/{run.Id}", new { runId = run.Id });
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
