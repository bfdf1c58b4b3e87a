using AgentHost.Auth;
using AgentHost.Core.Agents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Agents;

public static class AgentEndpoints
{
    public static WebApplication MapAgents(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var agents = app.MapGroup("/api/agents").WithTags("Agents");
        agents.MapPost("/", CreateAsync);
        agents.MapGet("/", ListAsync);
        agents.MapGet("/{id}", GetAsync);
        agents.MapPut("/{id}", UpdateAsync);
        agents.MapPost("/{id}/disable", DisableAsync);
        agents.MapPost("/{id}/enable", EnableAsync);
        agents.MapGrants();
        agents.MapHistory();
        return app;
    }

    private static async Task<Results<Created<Agent>, ValidationProblem>> CreateAsync(AgentDefinition body, HttpContext context, AgentService agents, AgentSchedules schedules, CancellationToken cancellationToken)
    {
        var change = await agents.CreateAsync(context.User.Email(), body, cancellationToken);
        if (change.Agent is not { } agent)
        {
            return TypedResults.ValidationProblem(change.Errors);
        }

        schedules.Sync(agent);
        return TypedResults.Created($"/api/agents/{agent.Id}", agent);
    }

    private static async Task<Results<Ok<IReadOnlyList<Agent>>, ProblemHttpResult>> ListAsync(string? owner, HttpContext context, AgentStore store, AgentAccess access, CancellationToken cancellationToken)
    {
        var whose = owner ?? context.User.Email();
        if (!access.CanSeeAgentsOf(context.User, whose))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your agents", detail: "you see your own agents and your direct reports'");
        }

        return TypedResults.Ok(await store.ListAsync(whose, cancellationToken));
    }

    private static async Task<Results<Ok<Agent>, ProblemHttpResult>> GetAsync(string id, HttpContext context, AgentStore store, AgentAccess access, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        return agent is not null && access.CanRead(context.User, agent) ? TypedResults.Ok(agent) : NotFound(id);
    }

    private static async Task<Results<Ok<Agent>, ProblemHttpResult, ValidationProblem>> UpdateAsync(string id, AgentDefinition body, HttpContext context, AgentStore store, AgentAccess access, AgentService agents, AgentSchedules schedules, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return NotFound(id);
        }

        if (!AgentAccess.CanEdit(context.User, agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the owner edits an agent", detail: $"{agent.Id} belongs to {agent.Owner}");
        }

        var change = await agents.UpdateAsync(agent, context.User.Email(), body, cancellationToken);
        if (change.Agent is { } changed)
        {
            schedules.Sync(changed);
        }

        return change switch
        {
            { Agent: { } updated } => TypedResults.Ok(updated),
            { Conflict: true } => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The agent changed meanwhile", detail: "reload it and apply your change again"),
            _ => TypedResults.ValidationProblem(change.Errors),
        };
    }

    private static async Task<Results<Ok<Agent>, ProblemHttpResult>> DisableAsync(string id, DisableRequest? body, HttpContext context, AgentStore store, AgentAccess access, AgentKillSwitch killSwitch, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return NotFound(id);
        }

        if (!AgentAccess.CanDisable(context.User, agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed to disable this agent");
        }

        return TypedResults.Ok(await killSwitch.ThrowAsync(agent, context.User.Email(), body?.Reason, cancellationToken));
    }

    private static async Task<Results<Ok<Agent>, ProblemHttpResult, ValidationProblem>> EnableAsync(string id, EnableRequest? body, HttpContext context, AgentStore store, AgentAccess access, AgentKillSwitch killSwitch, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return NotFound(id);
        }

        // Security may throw the switch; undoing it is the owner's or an admin's call.
        if (!AgentAccess.CanEdit(context.User, agent))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the owner or an admin re-enables an agent", detail: $"{agent.Id} belongs to {agent.Owner}");
        }

        if (string.IsNullOrWhiteSpace(body?.Reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["say why the agent may run again (recorded in the audit trail)"] });
        }

        if (!agent.Disabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The agent is not disabled", detail: $"{agent.Id} is enabled");
        }

        return await killSwitch.UndoAsync(agent, context.User.Email(), body.Reason, cancellationToken) is { } enabled
            ? TypedResults.Ok(enabled)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The agent is not disabled", detail: $"{agent.Id} was re-enabled meanwhile");
    }

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such agent", detail: $"no agent '{id}' that you may see");
}
