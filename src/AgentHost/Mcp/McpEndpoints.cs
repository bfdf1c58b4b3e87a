using AgentHost.Auth;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Mcp;

public static class McpEndpoints
{
    public static WebApplication MapMcpServers(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var mcp = app.MapGroup("/api/mcp/servers").WithTags("MCP").RequireAuthorization();
        mcp.MapGet("/", List);
        mcp.MapPost("/{name}/approve", ApproveAsync);
        return app;
    }

    /// <summary>The configured MCP servers, their status and their tools with state, hashes and diffs.</summary>
    private static Ok<IEnumerable<McpServerView>> List(McpServers servers) =>
        TypedResults.Ok(servers.Slots.OrderBy(s => s.Name, StringComparer.Ordinal).Select(McpServerView.From));

    /// <summary>Pins the server's current tool list when it is exactly the one in the body; admins only.</summary>
    private static async Task<Results<Ok<McpApproved>, ProblemHttpResult>> ApproveAsync(string name, McpApproveRequest body, HttpContext context, McpApprovals approvals, CancellationToken cancellationToken)
    {
        if (!context.User.IsInRole(Roles.Admin))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only an admin approves an MCP server's tools");
        }

        var result = await approvals.ApproveAsync(name, body.Tools ?? [], context.User.Email(), cancellationToken);
        return result.Pinned is { } pinned
            ? TypedResults.Ok(new McpApproved(name, pinned))
            : TypedResults.Problem(statusCode: result.Status, title: "Tool list not approved", detail: result.Refusal);
    }
}
