using AgentHost.Auth;
using AgentHost.Core.Approvals;
using AgentHost.Core.Directory;

namespace AgentHost.Approvals;

public static class ApprovalEndpoints
{
    public static WebApplication MapApprovals(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/approvals", ListAsync);
        app.MapPost("/api/approvals/{id}/decision", DecideAsync);
        return app;
    }

    /// <summary>The approvals the caller may decide, and those of the caller's own agents; security and admins see all.</summary>
    private static async Task<IResult> ListAsync(string? status, HttpContext context, ApprovalStore approvals, ApprovalVisibility visibility, AgentHost.Core.Redaction.SecretRedactor redactor, CancellationToken cancellationToken)
    {
        if (status is not (null or ApprovalStatus.Pending or ApprovalStatus.Approved or ApprovalStatus.Rejected or ApprovalStatus.Expired or ApprovalStatus.Cancelled))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["must be pending, approved, rejected, expired or cancelled"] });
        }

        var visible = (await approvals.ListAsync(status, cancellationToken)).Where(a => visibility.CanSee(context.User, a));
        return Results.Ok(visible.Select(a => new
        {
            a.Id,
            a.RunId,
            a.AgentId,
            a.Owner,
            a.Function,

            // What the model proposed may quote a credential someone pasted; the inbox never shows one.
            Arguments = redactor.Redact(a.Arguments),
            a.Rules,
            a.Group,
            a.Required,
            a.Status,
            a.CreatedAt,
            a.ExpiresAt,
            a.Votes,
            taintSources = a.TaintSources ?? new Dictionary<string, string>(),
            canDecide = visibility.CanDecide(context.User, a),
        }));
    }

    private static async Task<IResult> DecideAsync(string id, ApprovalDecision body, HttpContext context, ApprovalDecider decider, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Decision is not ("approve" or "reject"))
        {
            errors["decision"] = ["must be approve or reject"];
        }

        if (body.Comment is { Length: > 1000 })
        {
            errors["comment"] = ["at most 1000 characters"];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var result = await decider.DecideAsync(id, context.User.Email(), body.Decision == "approve", body.Comment, cancellationToken);
        return result.Counted
            ? Results.Ok(new { outcome = result.Outcome, message = result.Message })
            : Results.Problem(statusCode: result.Status, title: "Decision not counted", detail: result.Message);
    }
}
