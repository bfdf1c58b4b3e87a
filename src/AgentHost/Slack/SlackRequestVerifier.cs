using AgentHost.Auth;
using AgentHost.Core.Audit;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Signing;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Reads a request that claims to come from Slack and lets it through only with a valid, fresh v0
/// signature over its exact bytes. A refusal is audited with its reason; the caller learns nothing.
/// </summary>
public sealed class SlackRequestVerifier(IOptions<SlackOptions> options, RefusedRequests refusals, TimeProvider time)
{
    /// <summary>Slack's payloads are a few kilobytes; anything near this is not Slack.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public async Task<(byte[]? Body, IResult? Refusal)> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, Refuse(context, "body too large", StatusCodes.Status413PayloadTooLarge));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, Refuse(context, "body too large", StatusCodes.Status413PayloadTooLarge));
            }

            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        var why = SlackSignature.Check(
            options.Value.SigningSecret,
            context.Request.Headers["X-Slack-Request-Timestamp"],
            context.Request.Headers["X-Slack-Signature"],
            body,
            time.GetUtcNow(),
            TimeSpan.FromSeconds(options.Value.MaxRequestAgeSeconds));
        return why is null ? (body, null) : (null, Refuse(context, why, StatusCodes.Status401Unauthorized));
    }

    /// <summary>Refuses a signed request whose content makes no sense (400), audited like a forged one.</summary>
    public Task<IResult> MalformedAsync(HttpContext context, string why, CancellationToken cancellationToken) =>
        Task.FromResult(Refuse(context, why, StatusCodes.Status400BadRequest));

    // Anyone can post to /slack/*: refusals are counted per address and minute (RefusedRequests), so a
    // flood of forgeries adds one audit event a minute, not one per request.
    private IResult Refuse(HttpContext context, string reason, int status)
    {
        refusals.Record(context, AuditEventTypes.SlackRequestRejected, RefusedRequests.Kinds.Slack, reason);
        return Results.Problem(statusCode: status, title: "Request refused");
    }
}
