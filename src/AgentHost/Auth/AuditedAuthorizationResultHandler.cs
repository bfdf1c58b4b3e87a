using AgentHost.Core.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace AgentHost.Auth;

/// <summary>
/// Counts every refused request, anonymous (401) or forbidden (403), in <see cref="RefusedRequests"/>:
/// written to the audit trail as auth.denied per address, actor and minute.
/// </summary>
public sealed class AuditedAuthorizationResultHandler(RefusedRequests refusals) : IAuthorizationMiddlewareResultHandler
{
    private const string RefusalKey = "agenthost.refusal";
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <summary>Why a credential that came with the request was not accepted, for the audit of its 401.</summary>
    public static void SetRefusal(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[RefusalKey] = reason;
    }

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        var claimed = context.Request.Headers[DevUserAuthenticationHandler.HeaderName].ToString();
        if (authorizeResult.Challenged)
        {
            var reason = context.Items[RefusalKey] as string
                ?? context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure?.Message
                ?? "not signed in";
            refusals.Record(context, AuditEventTypes.AuthDenied, RefusedRequests.Kinds.Unauthenticated, reason, claimedUser: claimed);
        }
        else if (authorizeResult.Forbidden)
        {
            var actor = context.User.Identity?.IsAuthenticated == true ? AuditActor.Employee(context.User.Email()) : AuditActor.System;
            refusals.Record(context, AuditEventTypes.AuthDenied, RefusedRequests.Kinds.Forbidden, "forbidden", actor, claimed);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
