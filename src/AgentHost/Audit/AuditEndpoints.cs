using AgentHost.Auth;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Hosting;

namespace AgentHost.Audit;

/// <summary>Search, verification, proofs and export of the audit trail: for security reviewers and admins.</summary>
public static class AuditEndpoints
{
    public static WebApplication MapAudit(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var audit = app.MapGroup("/api/audit").RequireAuthorization(AuthRegistration.SecurityReviewers);
        audit.MapGet("/", SearchAsync);
        audit.MapGet("/verify", VerifyAsync);
        audit.MapGet("/proof/inclusion", InclusionAsync);
        audit.MapGet("/proof/consistency", ConsistencyAsync);
        audit.MapGet("/checkpoints", CheckpointsAsync);
        audit.MapGet("/public-key", (CheckpointSigner signer) => Results.Text(signer.PublicKeyPem, "application/x-pem-file"));
        audit.MapGet("/export", ExportAsync);
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpRequest request, AuditReader reader, CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request.Query);
        var filter = Filter(query);
        var after = query.Number("after");
        var limit = query.Number("limit", 1, AuditReader.MaxPageSize) ?? 100;
        if (query.HasErrors)
        {
            return query.Problem();
        }

        var page = await reader.SearchAsync(filter, after, (int)limit, cancellationToken);
        return Results.Ok(new { events = page.Events.Select(AuditEventView.From), nextCursor = page.NextCursor });
    }

    private static async Task<IResult> VerifyAsync(AuditVerification verification, CancellationToken cancellationToken)
    {
        var result = await verification.VerifyAsync(cancellationToken);
        return Results.Ok(new
        {
            valid = result.Valid,
            count = result.Count,
            checkpoint = result.LatestVerifiedCheckpoint is { } c
                ? new { treeSize = c.TreeSize, rootHash = Convert.ToHexStringLower(c.RootHash), timestamp = c.Timestamp }
                : null,
            firstInvalidSeq = result.FirstInvalidSeq,
            firstBadCheckpointSize = result.FirstBadCheckpointSize,
            reason = result.Reason,
            signaturesChecked = result.SignaturesChecked,
        });
    }

    private static async Task<IResult> InclusionAsync(HttpRequest request, AuditProofs proofs, AuditLogWriter writer, CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request.Query);
        var seq = query.Number("seq", 1);
        var size = query.Number("size", 1) ?? writer.Head.Size;
        query.Require("seq", seq);
        if (query.HasErrors)
        {
            return query.Problem();
        }

        var proof = await proofs.InclusionAsync(seq!.Value, size, cancellationToken);
        return proof is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such proof", detail: $"event {seq} is not in a tree of size {size} (the log has {writer.Head.Size} events)")
            : Results.Ok(new
            {
                seq = proof.Seq,
                treeSize = proof.TreeSize,
                leafHash = Convert.ToHexStringLower(proof.LeafHash),
                path = proof.Path.Select(Convert.ToHexStringLower),
                rootHash = Convert.ToHexStringLower(proof.RootHash),
            });
    }

    private static async Task<IResult> ConsistencyAsync(HttpRequest request, AuditProofs proofs, AuditLogWriter writer, CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request.Query);
        var from = query.Number("from");
        var to = query.Number("to") ?? writer.Head.Size;
        query.Require("from", from);
        if (query.HasErrors)
        {
            return query.Problem();
        }

        var proof = await proofs.ConsistencyAsync(from!.Value, to, cancellationToken);
        return proof is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such proof", detail: $"no consistency proof from {from} to {to} (the log has {writer.Head.Size} events)")
            : Results.Ok(new
            {
                fromSize = proof.FromSize,
                toSize = proof.ToSize,
                fromRoot = Convert.ToHexStringLower(proof.FromRoot),
                toRoot = Convert.ToHexStringLower(proof.ToRoot),
                path = proof.Path.Select(Convert.ToHexStringLower),
            });
    }

    private static async Task<IResult> CheckpointsAsync(HttpRequest request, AuditReader reader, CancellationToken cancellationToken)
    {
        var query = new QueryParameters(request.Query);
        var limit = query.Number("limit", 1, AuditReader.MaxPageSize) ?? 100;
        var minimum = query.Number("minSize");
        if (query.HasErrors)
        {
            return query.Problem();
        }

        var checkpoints = await reader.CheckpointsAsync(minimum, (int)limit, cancellationToken);
        return Results.Ok(checkpoints.Select(c => new { treeSize = c.TreeSize, rootHash = Convert.ToHexStringLower(c.RootHash), timestamp = c.Timestamp, note = c.Note }));
    }

    private static async Task ExportAsync(HttpContext context, AuditReader reader, CancellationToken cancellationToken)
    {
        var query = new QueryParameters(context.Request.Query);
        var filter = Filter(query);
        var format = query.Text("format") ?? "jsonl";
        if (format is not ("jsonl" or "csv"))
        {
            query.Fail("format", "must be jsonl or csv");
        }

        if (query.HasErrors)
        {
            await query.Problem().ExecuteAsync(context);
            return;
        }

        var events = reader.StreamAsync(filter, null, null, cancellationToken);
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

    private static AuditFilter Filter(QueryParameters query) => new(
        query.Text("runId"),
        query.Text("agentId"),
        query.Text("actor"),
        query.Text("type"),
        query.Time("from"),
        query.Time("to"));
}
