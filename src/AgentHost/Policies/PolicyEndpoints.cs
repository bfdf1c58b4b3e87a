using System.Xml;
using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Policies;

namespace AgentHost.Policies;

public static class PolicyEndpoints
{
    public static WebApplication MapPolicies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = app.MapGroup("/api/policy");
        policy.MapGet("/", (PolicyProvider provider, PolicyHistory history) => Results.Ok(new
        {
            policyHash = provider.Current.Hash,
            files = provider.Current.Files.Select(Path.GetFileName),
            rules = provider.Current.Rules.Select(r => new
            {
                id = r.Id,
                decision = PolicyText.Outcome(r.Outcome),
                description = r.Description,
                file = Path.GetFileName(r.File),
                line = r.Line,
                functions = r.Functions,
            }),
            history = history.Recent(),
        }));
        policy.MapPost("/evaluate", Evaluate);
        return app;
    }

    private static async Task<IResult> Evaluate(EvaluateRequest body, HttpContext context, PolicyProvider provider, EmployeeDirectory directory, AgentStore agents, AgentAccess access, CancellationToken cancellationToken)
    {
        if (body.AgentId is { } agentId)
        {
            var stored = await agents.GetAsync(agentId, cancellationToken);
            if (stored is null || !access.CanRead(context.User, stored))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such agent", detail: $"no agent '{agentId}' that you may see");
            }

            body = body with { Agent = EvaluateAgent.From(stored) };
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var request = EvaluateRequestReader.Read(body, context.User.Email(), directory, errors);
        if (request is null)
        {
            return Results.ValidationProblem(errors);
        }

        var decision = provider.Current.Evaluate(request, directory);
        return Results.Ok(new
        {
            decision = PolicyText.Outcome(decision.Outcome),
            rules = decision.RuleIds,
            approval = decision.Approvals.Count > 0
                ? new { group = decision.Approvals[0].Group, count = decision.Approvals[0].Count, timeout = XmlConvert.ToString(decision.Approvals.Min(a => a.Timeout)), selfApprovalForbidden = true }
                : null,

            // Every group whose approval is needed; "approval" above is the first of them, kept for older clients.
            approvals = decision.Approvals.Select(a => new { group = a.Group, count = a.Count, timeout = XmlConvert.ToString(a.Timeout) }),
            policyHash = decision.PolicyHash,
            explanation = decision.Explanation,
        });
    }
}
