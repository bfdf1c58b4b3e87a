using System.Text.Json.Nodes;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Policies;

namespace AgentHost.Core.Gate;

/// <summary>
/// The one path from a model's proposal to a plugin. It records the request durably, decides it under
/// the policy set in force, and records the decision, before anything runs: if the audit write fails,
/// the call does not happen (fail closed).
/// </summary>
public sealed class ToolGate(PolicyProvider policies, IEmployeeFacts facts, IAuditLog audit)
{
    public async Task<PolicyDecision> DecideAsync(Agent agent, string requester, ProposedToolCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var actor = AuditActor.Agent(agent.Id);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ActionRequested, actor, agent.Id, call.RunId, new()
        {
            ["callId"] = call.CallId,
            ["turn"] = call.Turn,
            ["function"] = call.Function,
            ["arguments"] = ParseOrText(call.ArgumentsJson),
            ["tainted"] = new JsonArray([.. call.TaintedArguments.Order(StringComparer.Ordinal).Select(a => JsonValue.Create(a))]),
        }), cancellationToken);

        var context = new AgentContext(
            agent.Id,
            agent.Owner,
            (agent.Definition.Tools ?? []).ToHashSet(StringComparer.Ordinal),
            (agent.Definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>()).ToDictionary(s => s.Key, s => new ScopeSet(s.Value), StringComparer.Ordinal));
        var decision = policies.Current.Evaluate(new PolicyRequest(call.Function, call.Arguments, context, requester, call.TaintedArguments), facts);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.PolicyDecided, AuditActor.System, agent.Id, call.RunId, new()
        {
            ["callId"] = call.CallId,
            ["function"] = call.Function,
            ["decision"] = PolicyText.Outcome(decision.Outcome),
            ["rules"] = new JsonArray([.. decision.RuleIds.Select(r => JsonValue.Create(r))]),
            ["policyHash"] = decision.PolicyHash,
        }), cancellationToken);

        if (decision.Outcome == PolicyOutcome.Deny)
        {
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.ActionDenied, actor, agent.Id, call.RunId, new()
            {
                ["callId"] = call.CallId,
                ["function"] = call.Function,
                ["explanation"] = decision.Explanation,
            }), cancellationToken);
        }

        return decision;
    }

    public Task RecordOutcomeAsync(Agent agent, ProposedToolCall call, bool succeeded, string summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        return audit.AppendAsync(new AuditEntry(succeeded ? AuditEventTypes.ActionExecuted : AuditEventTypes.ActionFailed, AuditActor.Agent(agent.Id), agent.Id, call.RunId, new()
        {
            ["callId"] = call.CallId,
            ["function"] = call.Function,
            ["result"] = summary,
        }), cancellationToken);
    }

    private static JsonNode? ParseOrText(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
