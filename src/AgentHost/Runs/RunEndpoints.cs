using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using AgentHost.Runs.Conversation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Runs;

public static class RunEndpoints
{
    public const int MaxInputLength = RunStarter.MaxInputLength;

    public static WebApplication MapRuns(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/api/agents").WithTags("Runs").MapPost("/{id}/runs", StartAsync);
        var runs = app.MapGroup("/api/runs").WithTags("Runs");
        runs.MapGet("/", ListAsync);
        runs.MapGet("/{id}", GetAsync);
        runs.MapGet("/{id}/conversation", ConversationAsync);
        runs.MapPost("/{id}/stop", StopAsync);
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

    /// <summary>The newest runs I may see (of <paramref name="agentId"/>, or of every agent I may see), each with its calls counted by outcome.</summary>
    private static async Task<Results<Ok<IReadOnlyList<RunSummary>>, ProblemHttpResult>> ListAsync(string? agentId, HttpContext context, RunListing listing, CancellationToken cancellationToken)
    {
        if (await listing.ListAsync(context.User, agentId, cancellationToken) is not { } list)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such agent", detail: $"no agent '{agentId}' that you may see");
        }

        return TypedResults.Ok<IReadOnlyList<RunSummary>>([.. list.Runs.Select(RunSummary.From)]);
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

    /// <summary>The run's conversation from the audit trail (what the model was sent and answered, every tool result, the output), for whoever may see the run.</summary>
    private static async Task<Results<Ok<ConversationView>, ProblemHttpResult>> ConversationAsync(string id, HttpContext context, RunStore runs, AgentStore agents, AgentAccess access, ConversationReader conversation, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        var agent = run is null ? null : await agents.GetAsync(run.AgentId, cancellationToken);
        if (run is null || agent is null || !access.CanRead(context.User, agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run", detail: $"no run '{id}' that you may see");
        }

        return TypedResults.Ok(await conversation.ReadAsync(run.Id, cancellationToken));
    }

    /// <summary>Stops one run: its agent's owner or an admin; others who may see it get 403, the rest 404.</summary>
    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> StopAsync(string id, StopRunRequest? body, HttpContext context, RunStore runs, AgentStore agents, AgentAccess access, RunStopper stopper, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        var agent = run is null ? null : await agents.GetAsync(run.AgentId, cancellationToken);
        if (run is null || agent is null || !access.CanRead(context.User, agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run", detail: $"no run '{id}' that you may see");
        }

        if (!AgentAccess.CanEdit(context.User, agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the agent's owner or an admin stops a run", detail: $"{agent.Id} belongs to {agent.Owner}");
        }

        if (await stopper.StopAsync(run, context.User.Email(), body?.Reason, cancellationToken) == RunStopResult.AlreadyEnded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The run has ended", detail: $"{run.Id} is {(await runs.GetAsync(id, cancellationToken))!.Status.ToText()}");
        }

        var stopped = (await runs.GetAsync(id, cancellationToken))!;
        return TypedResults.Ok(RunView.From(stopped, await runs.ToolCallsAsync(id, cancellationToken)));
    }
}
