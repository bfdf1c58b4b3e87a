using AgentHost.Auth;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Audit;

/// <summary>
/// Search, verification, proofs and export of the audit trail: for security reviewers and admins. Query
/// records (AuditQueries.cs) are validated before a handler runs, so a handler reads valid text only.
/// </summary>
public static class AuditEndpoints
{
    public static WebApplication MapAudit(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var audit = app.MapGroup("/api/audit").RequireAuthorization(AuthRegistration.SecurityReviewers).WithTags("Audit");
        audit.MapGet("/", SearchAsync);
        audit.MapGet("/verify", VerifyAsync);
        audit.MapGet("/proof/inclusion", InclusionAsync);
        audit.MapGet("/proof/consistency", ConsistencyAsync);
        audit.MapGet("/checkpoints", CheckpointsAsync);
        audit.MapGet("/public-key", (CheckpointSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file"));
        audit.MapGet("/export", ExportAsync);
        return app;
    }

    private static async Task<Results<Ok<AuditSearchPage>, ValidationProblem>> SearchAsync([AsParameters] AuditSearchQuery query, AuditReader reader, CancellationToken cancellationToken)
    {
        // Each cursor belongs to one order: a cursor of the other would be silently ignored.
        var descending = query.Order == "desc";
        if (QueryValues.Text(descending ? query.After : query.Before) is not null)
        {
            var field = descending ? "after" : "before";
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [field] = [descending ? "applies only to order=asc; with order=desc pass nextCursor as before" : "applies only to order=desc"],
            });
        }

        var limit = (int)(QueryValues.Number(query.Limit) ?? AuditQueries.DefaultPageSize);
        if (descending)
        {
            var newest = await reader.BrowseAsync(query.ToFilter(), QueryValues.Number(query.Before), null, limit, cancellationToken);
            return TypedResults.Ok(new AuditSearchPage([.. newest.Events.Select(AuditEventView.From)], newest.Older));
        }

        var page = await reader.SearchAsync(query.ToFilter(), QueryValues.Number(query.After), limit, cancellationToken);
        return TypedResults.Ok(new AuditSearchPage([.. page.Events.Select(AuditEventView.From)], page.NextCursor));
    }

    private static async Task<Ok<VerificationView>> VerifyAsync(AuditVerification verification, CancellationToken cancellationToken) =>
        TypedResults.Ok(VerificationView.From(await verification.VerifyAsync(cancellationToken)));

    private static async Task<Results<Ok<InclusionProofView>, ProblemHttpResult>> InclusionAsync([AsParameters] InclusionQuery query, AuditProofs proofs, AuditLogWriter writer, CancellationToken cancellationToken)
    {
        var seq = QueryValues.Number(query.Seq)!.Value;
        var size = QueryValues.Number(query.Size) ?? writer.Head.Size;
        var proof = await proofs.InclusionAsync(seq, size, cancellationToken);
        return proof is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such proof", detail: $"event {seq} is not in a tree of size {size} (the log has {writer.Head.Size} events)")
            : TypedResults.Ok(InclusionProofView.From(proof));
    }

    private static async Task<Results<Ok<ConsistencyProofView>, ProblemHttpResult>> ConsistencyAsync([AsParameters] ConsistencyQuery query, AuditProofs proofs, AuditLogWriter writer, CancellationToken cancellationToken)
    {
        var from = QueryValues.Number(query.From)!.Value;
        var to = QueryValues.Number(query.To) ?? writer.Head.Size;
        var proof = await proofs.ConsistencyAsync(from, to, cancellationToken);
        return proof is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such proof", detail: $"no consistency proof from {from} to {to} (the log has {writer.Head.Size} events)")
            : TypedResults.Ok(ConsistencyProofView.From(proof));
    }

    private static async Task<Ok<IReadOnlyList<CheckpointView>>> CheckpointsAsync([AsParameters] CheckpointQuery query, AuditReader reader, CancellationToken cancellationToken)
    {
        var limit = QueryValues.Number(query.Limit) ?? AuditQueries.DefaultPageSize;
        var checkpoints = await reader.CheckpointsAsync(QueryValues.Number(query.MinSize), (int)limit, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<CheckpointView>>([.. checkpoints.Select(CheckpointView.From)]);
    }

    /// <summary>Streams the export: a file, not a JSON document, so it has no typed result.</summary>
    private static async Task ExportAsync([AsParameters] AuditExportQuery query, HttpContext context, AuditReader reader, CancellationToken cancellationToken)
    {
        var format = QueryValues.Text(query.Format) ?? "jsonl";
        var events = reader.StreamAsync(query.ToFilter(), null, null, cancellationToken);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit.{format}\"";
        if (format == "csv")
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            await AuditExport.WriteCsvAsync(context.Response.Body, events, cancellationToken);
        }
        else
        {
            context.Response.ContentType = "application/jsonl; charset=utf-8";
            await AuditExport.WriteJsonLinesAsync(context.Response.Body, await reader.CheckpointNotesAsync(cancellationToken), events, cancellationToken);
        }
    }
}
