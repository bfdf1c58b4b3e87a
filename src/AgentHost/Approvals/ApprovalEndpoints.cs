using AgentHost.Auth;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;
using AgentHost.Core.Storage;

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
    private static async Task<IResult> ListAsync(string? status, HttpContext context, ApprovalStore approvals, ApprovalVisibility visibility, EmployeeDirectory directory, AgentHost.Core.Redaction.SecretRedactor redactor, CancellationToken cancellationToken)
    {
        ApprovalStatus? wanted = null;
        if (status is not null)
        {
            if (!SnakeCase.TryParse(status, out ApprovalStatus parsed))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["must be pending, approved, rejected, expired or cancelled"] });
            }

            wanted = parsed;
        }

        var visible = (await approvals.ListAsync(wanted, cancellationToken)).Where(a => visibility.CanSee(context.User, a));
        return Results.Ok(visible.Select(a => (a, ApprovalTally.Count(a, directory.IsInGroup))).Select(((Approval a, ApprovalTally tally) x) => new
        {
            x.a.Id,
            x.a.RunId,
            x.a.AgentId,
            x.a.Owner,
            x.a.Function,

            // What the model proposed may quote a credential someone pasted; the inbox never shows one.
            Arguments = redactor.Redact(x.a.Arguments),
            x.a.Rules,

            // group/required are the first group and the sum, for clients that predate several groups;
            // groups says what each one still needs.
            Group = x.a.RequiredGroups[0].Group,
            Required = x.a.RequiredGroups.Sum(g => g.Count),
            groups = x.tally.Groups.Select(g => new { group = g.Group, required = g.Required, approved = g.Approved, remaining = g.Remaining }),
            needs = x.a.Status == ApprovalStatus.Pending ? x.tally.Needs : null,
            excluded = new { owner = x.a.Owner, requester = x.a.Requester, startedBy = x.a.StartedBy },
            x.a.Status,
            x.a.CreatedAt,
            x.a.ExpiresAt,
            x.a.Votes,
            taintSources = x.a.TaintSources ?? new Dictionary<string, string>(),
            canDecide = visibility.CanDecide(context.User, x.a),
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
