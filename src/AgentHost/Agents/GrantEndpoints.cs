using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Agents;

/// <summary>
/// POST /api/agents/{id}/grants (admins only): grants one scope value the owner does not hold themselves;
/// GET lists an agent's admin grants to whoever may see the agent.
/// </summary>
public static class GrantEndpoints
{
    public static RouteGroupBuilder MapGrants(this RouteGroupBuilder agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        agents.MapGet("/{id}/grants", ListAsync);
        agents.MapPost("/{id}/grants", GrantAsync);
        return agents;
    }

    private static async Task<Results<Ok<IReadOnlyList<ScopeGrant>>, ProblemHttpResult>> ListAsync(string id, HttpContext context, AgentStore store, AgentAccess access, ScopeGrantStore grants, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        return agent is not null && access.CanRead(context.User, agent)
            ? TypedResults.Ok(await grants.ListAsync(id, cancellationToken))
            : AgentEndpoints.NotFound(id);
    }

    private static async Task<Results<Ok<Agent>, ProblemHttpResult, ValidationProblem>> GrantAsync(string id, GrantRequest body, HttpContext context, AgentStore store, AgentAccess access, AgentGrants grants, AgentSchedules schedules, Core.Tools.ToolCatalog catalog, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return AgentEndpoints.NotFound(id);
        }

        if (!context.User.IsInRole(Roles.Admin))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only an admin grants beyond the owner's authority");
        }

        if (body.Scope is not { } scope || !catalog.TryGetScope(scope, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["scope"] = [$"one of {string.Join(", ", catalog.ScopeKeys)}"] });
        }

        var change = await grants.GrantAsync(agent, context.User.Email(), scope, body.Value ?? string.Empty, string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim(), cancellationToken);
        if (change.Agent is { } changed)
        {
            schedules.Sync(changed);
        }

        return change switch
        {
            { Agent: { } updated } => TypedResults.Ok(updated),
            { Conflict: true } => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The agent changed meanwhile", detail: "grant again"),
            _ => TypedResults.ValidationProblem(change.Errors),
        };
    }
}
