using System.Globalization;
using AgentHost.Core.Agents;
using AgentHost.Core.Agents.History;
using AgentHost.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Agents;

/// <summary>
/// GET /api/agents/{id}/versions (newest first) and /versions/{n}: an agent's history, each save with who
/// made it, when, the definition then and the diff from the version before. Whoever may see the agent
/// (owner, manager, security, admin) may see its history; anyone else gets the 404 of an unseen agent.
/// </summary>
public static class HistoryEndpoints
{
    public const int MaxVersions = 1_000;

    public static RouteGroupBuilder MapHistory(this RouteGroupBuilder agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        agents.MapGet("/{id}/versions", ListAsync);
        agents.MapGet("/{id}/versions/{version}", GetAsync);
        return agents;
    }

    private static async Task<Results<Ok<IReadOnlyList<AgentVersion>>, ProblemHttpResult>> ListAsync(string id, [AsParameters] VersionsQuery query, HttpContext context, AgentStore store, AgentAccess access, AgentVersionStore versions, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return AgentEndpoints.NotFound(id);
        }

        return TypedResults.Ok(await versions.ListAsync(id, (int)(QueryValues.Number(query.Limit) ?? 100), cancellationToken));
    }

    /// <param name="version">Text, so that "first" is a problem naming the field, not a bare binding 400.</param>
    private static async Task<Results<Ok<AgentVersion>, ProblemHttpResult, ValidationProblem>> GetAsync(string id, string version, HttpContext context, AgentStore store, AgentAccess access, AgentVersionStore versions, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(context.User, agent))
        {
            return AgentEndpoints.NotFound(id);
        }

        if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["must be a whole number from 1"] });
        }

        return await versions.GetAsync(id, number, cancellationToken) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such version", detail: $"{id} has versions 1 to {agent.DefinitionVersion}");
    }
}
