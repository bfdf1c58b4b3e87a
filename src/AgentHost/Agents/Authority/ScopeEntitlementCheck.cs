using System.Text.Json.Nodes;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;

namespace AgentHost.Agents.Authority;

/// <summary>
/// The second look at an agent's scopes, when a run starts: the owner may have left a channel or lost write
/// on a repository since the agent was saved. A value the owner no longer holds (and no admin granted)
/// stops the run before its first model or tool call; scope.refused records which values and why.
/// Answers are cached for <see cref="EntitlementCache.Lifetime"/>, so a change is seen within that time.
/// </summary>
public sealed class ScopeEntitlementCheck(IOwnerAuthority authority, IAuditLog audit)
{
    private const int MaxReasonLength = 1_000;

    /// <summary>Null when the run may go on; otherwise the reason it stops, already audited.</summary>
    public async Task<string?> RefusalAsync(Agent agent, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var refused = await authority.RefusedAsync(agent.Owner, agent.Id, agent.Definition, cancellationToken);
        if (refused.Count == 0)
        {
            return null;
        }

        var errors = new JsonObject();
        foreach (var (field, messages) in refused)
        {
            errors[field] = new JsonArray(messages.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
        }

        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ScopeRefused, AuditActor.System, agent.Id, runId, new()
        {
            ["owner"] = agent.Owner,
            ["errors"] = errors,
        }), cancellationToken);
        var reason = "the agent holds scope values its owner no longer may use: "
            + string.Join("; ", refused.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength] + "…";
    }
}
