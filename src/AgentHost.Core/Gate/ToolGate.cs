using System.Text.Json.Nodes;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Policies;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Gate;

/// <summary>
/// The one path from a model's proposal to a plugin. It records the request durably, decides it under
/// the policy set in force, and records the decision, before anything runs: if the audit write fails,
/// the call does not happen (fail closed).
/// </summary>
public sealed class ToolGate(PolicyProvider policies, IEmployeeFacts facts, IAuditLog audit)
{
    /// <param name="record">The caller's record of the call for this decision, made durable in the same
    /// transaction as the audit events (one shared fsync instead of two).</param>
    public async Task<PolicyDecision> DecideAsync(Agent agent, string requester, ProposedToolCall call, Func<PolicyDecision, StoreWrite?>? record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var context = ContextOf(agent);

        // Deciding is pure; nothing happens until the request and the decision are durable, in this order.
        var decision = policies.Current.Evaluate(new PolicyRequest(call.Function, call.Arguments, context, requester, call.TaintedArguments), facts);
        await audit.AppendAsync(Entries(agent, call, decision), record?.Invoke(decision), cancellationToken);
        return decision;
    }

    /// <summary>The agent as the policy sees it: owner, granted tools and scopes. The replay reads agents the same way.</summary>
    public static AgentContext ContextOf(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new AgentContext(
            agent.Id,
            agent.Owner,
            (agent.Definition.Tools ?? []).ToHashSet(StringComparer.Ordinal),
            (agent.Definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>()).ToDictionary(s => s.Key, s => new ScopeSet(s.Value), StringComparer.Ordinal));
    }

    /// <summary>
    /// Refuses a call the host will not put to the policy (malformed arguments, a budget): the same
    /// action.requested, policy.decided (deny, <paramref name="ruleId"/>) and action.denied as any denied
    /// call, plus <paramref name="alongside"/> (a budget.exceeded), so no refusal takes a side path.
    /// </summary>
    public async Task<PolicyDecision> RefuseAsync(Agent agent, ProposedToolCall call, string ruleId, string explanation, IReadOnlyList<AuditEntry> alongside, Func<PolicyDecision, StoreWrite?>? record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(alongside);
        var decision = new PolicyDecision(PolicyOutcome.Deny, [ruleId], [], policies.Current.Hash, explanation);
        await audit.AppendAsync([.. Entries(agent, call, decision), .. alongside], record?.Invoke(decision), cancellationToken);
        return decision;
    }

    private static List<AuditEntry> Entries(Agent agent, ProposedToolCall call, PolicyDecision decision)
    {
        var actor = AuditActor.Agent(agent.Id);
        List<AuditEntry> entries =
        [
            new(AuditEventTypes.ActionRequested, actor, agent.Id, call.RunId, new()
            {
                ["callId"] = call.CallId,
                ["modelCallId"] = call.ModelCallId,
                ["turn"] = call.Turn,
                ["function"] = call.Function,
                ["arguments"] = ParseOrText(call.ArgumentsJson),
                ["argumentsSha256"] = call.ArgumentsSha256,
                ["tainted"] = new JsonArray([.. call.TaintedArguments.Order(StringComparer.Ordinal).Select(a => JsonValue.Create(a))]),
                ["taintSources"] = new JsonObject(call.TaintSources.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)JsonValue.Create(t.Value)))),
            }),
            new(AuditEventTypes.PolicyDecided, AuditActor.System, agent.Id, call.RunId, new()
            {
                ["callId"] = call.CallId,
                ["function"] = call.Function,
                ["decision"] = PolicyText.Outcome(decision.Outcome),
                ["rules"] = new JsonArray([.. decision.RuleIds.Select(r => JsonValue.Create(r))]),
                ["policyHash"] = decision.PolicyHash,
            }),
        ];
        if (decision.Outcome == PolicyOutcome.Deny)
        {
            entries.Add(new(AuditEventTypes.ActionDenied, actor, agent.Id, call.RunId, new()
            {
                ["callId"] = call.CallId,
                ["function"] = call.Function,
                ["explanation"] = decision.Explanation,
            }));
        }

        return entries;
    }

    /// <param name="result">The full result, as trail content: the event commits to its hash and the content is stored in the same transaction.</param>
    public Task RecordOutcomeAsync(Agent agent, ProposedToolCall call, bool succeeded, string summary, AuditContent? result, StoreWrite? record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var data = new JsonObject
        {
            ["callId"] = call.CallId,
            ["function"] = call.Function,
            ["result"] = summary,
        };
        if (result is not null)
        {
            data["resultContent"] = result.Reference();
        }

        return audit.AppendAsync(
            [new AuditEntry(succeeded ? AuditEventTypes.ActionExecuted : AuditEventTypes.ActionFailed, AuditActor.Agent(agent.Id), agent.Id, call.RunId, data)],
            StoreWrite.Chain(record, result is null ? null : AuditContentStore.Write([result], now)),
            cancellationToken);
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
