using AgentHost.Core.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace AgentHost.Auth;

/// <summary>Records every forbidden request (an authenticated user reaching past their role) as auth.denied.</summary>
public sealed class AuditedAuthorizationResultHandler(IAuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            await audit.AppendAsync(
                new AuditEntry(AuditEventTypes.AuthDenied, AuditActor.Employee(context.User.Email()), Data: new()
                {
                    ["reason"] = "forbidden",
                    ["method"] = context.Request.Method,
                    ["path"] = context.Request.Path.Value,
                }),
                context.RequestAborted);
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
