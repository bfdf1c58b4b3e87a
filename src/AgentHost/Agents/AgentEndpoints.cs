using AgentHost.Auth;
using AgentHost.Core.Agents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Agents;

public static class AgentEndpoints
{
    public static WebApplication MapAgents(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var agents = app.MapGroup("/api/agents");
        agents.MapPost("/", CreateAsync);
        agents.MapGet("/", ListAsync);
        agents.MapGet("/{id}", GetAsync);
        agents.MapPut("/{id}", UpdateAsync);
        agents.MapPost("/{id}/disable", DisableAsync);
        agents.MapGrants();
        return app;
    }

    private static async Task<IResult> CreateAsync(AgentDefinition body, HttpContext context, AgentService agents, AgentSchedules schedules, AgentHost.Core.Approvals.ApprovalStore approvals, CancellationToken cancellationToken)
    {
        var change = await agents.CreateAsync(context.User.Email(), body, cancellationToken);
        if (change.Agent is not { } agent)
        {
            return Results.ValidationProblem(change.Errors);
        }

        schedules.Sync(agent);
        return Results.Created($"/api/agents/{agent.Id}", agent);
    }

    private static async Task<IResult> ListAsync(string? owner, HttpContext context, AgentStore store, AgentAccess access, CancellationToken cancellationToken)
    {
        var whose = owner ?? context.User.Email();
        if (!access.CanSeeAgentsOf(context.User, whose))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your agents", detail: "you see your own agents and your direct reports'");
        }

        return Results.Ok(await store.ListAsync(whose, cancellationToken));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, AgentStore store, AgentAccess access, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        return agent is not null && access.CanRead(context.User, agent) ? Results.Ok(agent) : NotFound(id);
    }

    private static async Task<IResult> UpdateAsync(string id, AgentDefinition body, HttpContext context, AgentStore store, AgentAccess access, AgentService agents, AgentSchedules schedules, AgentHost.Core.Approvals.ApprovalStore approvals, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return NotFound(id);
        }

        if (!AgentAccess.CanEdit(context.User, agent))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the owner edits an agent", detail: $"{agent.Id} belongs to {agent.Owner}");
        }

        var change = await agents.UpdateAsync(agent, context.User.Email(), body, cancellationToken);
        if (change.Agent is { } changed)
        {
            schedules.Sync(changed);
        }

        return change switch
        {
            { Agent: { } updated } => Results.Ok(updated),
            { Conflict: true } => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The agent changed meanwhile", detail: "reload it and apply your change again"),
            _ => Results.ValidationProblem(change.Errors),
        };
    }

    private static async Task<IResult> DisableAsync(string id, DisableRequest? body, HttpContext context, AgentStore store, AgentAccess access, AgentKillSwitch killSwitch, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return NotFound(id);
        }

        if (!AgentAccess.CanDisable(context.User, agent))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed to disable this agent");
        }

        return Results.Ok(await killSwitch.ThrowAsync(agent, context.User.Email(), body?.Reason, cancellationToken));
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such agent", detail: $"no agent '{id}' that you may see");
}
