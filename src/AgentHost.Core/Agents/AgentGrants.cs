using AgentHost.Core.Audit;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Agents;

/// <summary>
/// An admin's explicit grant of a scope value beyond the owner's own authority (the approvals channel, a
/// repository the owner only reads, a folder of the shared mailbox). The grant is stored apart from the
/// definition, so the owner's later edits keep it and the run-start check honours it; the value is added to
/// the agent's scopes in the same step. Audited as scope.granted and agent.updated, both naming the admin.
/// </summary>
public sealed class AgentGrants(AgentStore store, ScopeGrantStore grants, AgentValidator validator, ToolCatalog catalog, IAuditLog audit, TimeProvider time)
{
    public async Task<AgentChange> GrantAsync(Agent agent, string admin, string scope, string value, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var trimmed = value?.Trim() ?? string.Empty;
        var scopes = (agent.Definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>()).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var current = scopes.GetValueOrDefault(scope) ?? [];
        var added = !current.Any(v => ScopeValues.Same(catalog, scope, v, trimmed));
        if (added)
        {
            scopes[scope] = [.. current, trimmed];
        }

        var definition = agent.Definition with { Scopes = scopes };
        var errors = validator.Validate(definition);
        if (trimmed.Length == 0)
        {
            errors["value"] = ["is required"];
        }

        if (reason?.Length > 1_000)
        {
            errors["reason"] = ["at most 1000 characters"];
        }

        if (errors.Count > 0)
        {
            return AgentChange.Invalid(errors);
        }

        var save = !added ? new AgentSave(agent, History.AgentDiff.None) : await store.UpdateAsync(agent, AgentService.Normalize(definition), admin, cancellationToken);
        if (save is null)
        {
            return new AgentChange(null, new Dictionary<string, string[]>(), Conflict: true);
        }

        await grants.AddAsync(new ScopeGrant(agent.Id, scope, trimmed, admin, time.GetUtcNow(), reason), cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.ScopeGranted, AuditActor.Employee(admin), agent.Id, Data: new()
        {
            ["scope"] = scope,
            ["value"] = ScopeValues.Canonical(catalog, scope, trimmed),
            ["owner"] = agent.Owner,
            ["grantedBy"] = admin,
            ["reason"] = reason,
        }), cancellationToken);
        if (!save.Diff.IsEmpty)
        {
            var updated = AgentService.Updated(agent, save, admin);
            updated.Data!["grantedBy"] = admin;
            await audit.AppendAsync(updated, cancellationToken);
        }

        return AgentChange.Done(save.Agent);
    }
}
