using System.ComponentModel.DataAnnotations;
using AgentHost.Auth;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Approvals;

public static class ApprovalEndpoints
{
    public static WebApplication MapApprovals(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var approvals = app.MapGroup("/api/approvals").WithTags("Approvals");
        approvals.MapGet("/", ListAsync);
        approvals.MapPost("/{id}/decision", DecideAsync);
        return app;
    }

    /// <summary>The approvals the caller may decide, and those of the caller's own agents; security and admins see all.</summary>
    private static async Task<Ok<IEnumerable<ApprovalView>>> ListAsync(
        [RegularExpression("^(pending|approved|rejected|expired|cancelled)$", ErrorMessage = "must be pending, approved, rejected, expired or cancelled")] string? status,
        HttpContext context,
        ApprovalStore approvals,
        ApprovalVisibility visibility,
        EmployeeDirectory directory,
        SecretRedactor redactor,
        CancellationToken cancellationToken)
    {
        var visible = (await approvals.ListAsync(status is null ? null : SnakeCase.Parse<ApprovalStatus>(status), cancellationToken)).Where(a => visibility.CanSee(context.User, a)).ToList();
        return TypedResults.Ok(visible.Select(a => ApprovalView.From(a, ApprovalTally.Count(a, directory.IsInGroup), redactor.Redact(a.Arguments), visibility.CanDecide(context.User, a), ApprovalRules.Deciders(a, directory))));
    }

    /// <summary>The body is validated (ApprovalDecision's annotations) before this runs; the rules of who may decide are <see cref="ApprovalRules"/>.</summary>
    private static async Task<Results<Ok<DecisionCounted>, ProblemHttpResult>> DecideAsync(string id, ApprovalDecision body, HttpContext context, ApprovalDecider decider, CancellationToken cancellationToken)
    {
        var result = await decider.DecideAsync(id, context.User.Email(), body.Approve, body.CommentOrNull, cancellationToken);
        return result.Counted
            ? TypedResults.Ok(new DecisionCounted(result.Outcome, result.Message))
            : TypedResults.Problem(statusCode: result.Status, title: "Decision not counted", detail: result.Message);
    }
}
