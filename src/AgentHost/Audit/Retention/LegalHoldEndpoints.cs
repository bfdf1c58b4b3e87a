using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Audit.Retention;

/// <summary>Legal holds on an agent or a run: placed and released by security reviewers and admins, each an audited event.</summary>
public static class LegalHoldEndpoints
{
    public const int MaxReasonLength = 1000;

    public static WebApplication MapLegalHolds(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var holds = app.MapGroup("/api/audit/holds").RequireAuthorization(AuthRegistration.SecurityReviewers).WithTags("Audit");
        holds.MapGet("/", ListAsync);
        holds.MapPost("/", PlaceAsync);
        holds.MapPost("/{id}/release", ReleaseAsync);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<LegalHoldView>>> ListAsync(bool? active, LegalHoldStore holds, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<LegalHoldView>>([.. (await holds.ListAsync(active ?? false, cancellationToken)).Select(LegalHoldView.From)]);

    private static async Task<Results<Created<LegalHoldView>, ValidationProblem>> PlaceAsync(PlaceLegalHoldRequest? body, HttpContext context, LegalHoldStore holds, AgentStore agents, RunStore runs, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SnakeCase.TryParse<LegalHoldTarget>(body?.Target, out var target))
        {
            errors["target"] = ["target is 'agent' or 'run'"];
        }

        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"a reason of 1 to {MaxReasonLength} characters is required"];
        }

        // The hold names the stored id exactly: an id in another case or with spaces would hold nothing.
        string? agentId = null;
        if (string.IsNullOrEmpty(body?.TargetId))
        {
            errors["targetId"] = ["targetId is required"];
        }
        else if (errors.Count == 0 && target == LegalHoldTarget.Agent)
        {
            agentId = (await agents.GetAsync(body.TargetId, cancellationToken))?.Id;
            if (agentId != body.TargetId)
            {
                errors["targetId"] = [$"no agent '{body.TargetId}'"];
            }
        }
        else if (errors.Count == 0)
        {
            var run = await runs.GetAsync(body.TargetId, cancellationToken);
            agentId = run?.AgentId;
            if (run?.Id != body.TargetId)
            {
                errors["targetId"] = [$"no run '{body.TargetId}'"];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var hold = await holds.PlaceAsync(target, body!.TargetId!, agentId, reason!, context.User.Email(), cancellationToken);
        return TypedResults.Created($"/api/audit/holds/{hold.Id}", LegalHoldView.From(hold));
    }

    private static async Task<Results<Ok<LegalHoldView>, ProblemHttpResult>> ReleaseAsync(string id, HttpContext context, LegalHoldStore holds, CancellationToken cancellationToken)
    {
        if (!await holds.ReleaseAsync(id, context.User.Email(), cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such active hold", detail: $"no active legal hold '{id}'");
        }

        return TypedResults.Ok(LegalHoldView.From((await holds.GetAsync(id, cancellationToken))!));
    }
}

/// <summary>A legal hold to place: target "agent" or "run", the target's id, and why.</summary>
public sealed record PlaceLegalHoldRequest(string? Target, string? TargetId, string? Reason);

public sealed record LegalHoldView(string Id, string Target, string TargetId, string Reason, string PlacedBy, DateTimeOffset PlacedAt, string? ReleasedBy, DateTimeOffset? ReleasedAt, bool Active)
{
    public static LegalHoldView From(LegalHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return new(hold.Id, hold.TargetKind.ToText(), hold.TargetId, hold.Reason, hold.PlacedBy, hold.PlacedAt, hold.ReleasedBy, hold.ReleasedAt, hold.Active);
    }
}
