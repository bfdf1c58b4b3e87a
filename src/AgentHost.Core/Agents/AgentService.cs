using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Audit;

namespace AgentHost.Core.Agents;

/// <summary>
/// Creating, changing and disabling agents: validated, stored, and audited with the definition before
/// and after, so security can say who gave an agent which tool and when.
/// </summary>
public sealed class AgentService(AgentStore store, AgentValidator validator, IOwnerAuthority authority, Runs.RunStore runs, Approvals.ApprovalStore approvals, IAuditLog audit)
{
    public async Task<AgentChange> CreateAsync(string owner, AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = validator.Validate(definition);
        if (errors.Count == 0)
        {
            errors = await authority.RefusedAsync(owner, null, definition, cancellationToken);
        }

        if (errors.Count > 0)
        {
            return AgentChange.Invalid(errors);
        }

        var agent = await store.CreateAsync(owner, Normalize(definition), cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.AgentCreated, AuditActor.Employee(owner), agent.Id, Data: new()
        {
            ["after"] = Snapshot(agent.Definition),
        }), cancellationToken);
        return AgentChange.Done(agent);
    }

    public async Task<AgentChange> UpdateAsync(Agent current, string editor, AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(definition);
        var errors = validator.Validate(definition);
        if (errors.Count == 0)
        {
            // The owner's authority, not the editor's: an admin editing an agent grants nothing implicitly.
            errors = await authority.RefusedAsync(current.Owner, current.Id, definition, cancellationToken);
        }

        if (errors.Count > 0)
        {
            return AgentChange.Invalid(errors);
        }

        var updated = await store.UpdateAsync(current, Normalize(definition), cancellationToken);
        if (updated is null)
        {
            return new AgentChange(null, new Dictionary<string, string[]>(), Conflict: true);
        }

        await audit.AppendAsync(new AuditEntry(AuditEventTypes.AgentUpdated, AuditActor.Employee(editor), current.Id, Data: new()
        {
            ["before"] = Snapshot(current.Definition),
            ["after"] = Snapshot(updated.Definition),
            ["version"] = updated.Version,
        }), cancellationToken);
        return AgentChange.Done(updated);
    }

    /// <summary>
    /// The kill switch: the agent is disabled at once, its queued and parked runs stop, and a running
    /// turn sees it before its next model call. Idempotent: disabling twice records one agent.disabled.
    /// </summary>
    public async Task<Agent?> DisableAsync(string id, string actor, string? reason, CancellationToken cancellationToken)
    {
        if (await store.DisableAsync(id, actor, reason, cancellationToken))
        {
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.AgentDisabled, AuditActor.Employee(actor), id, Data: new()
            {
                ["reason"] = reason,
            }), cancellationToken);
        }

        foreach (var runId in await runs.StopUnfinishedAsync(id, "the agent was disabled (kill switch)", cancellationToken))
        {
            await approvals.CancelPendingForRunAsync(runId, cancellationToken);
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunStopped, AuditActor.Employee(actor), id, runId, new() { ["reason"] = "the agent was disabled (kill switch)" }), cancellationToken);
        }

        return await store.GetAsync(id, cancellationToken);
    }

    internal static AgentDefinition Normalize(AgentDefinition definition) => definition with
    {
        Name = definition.Name?.Trim(),
        Description = string.IsNullOrWhiteSpace(definition.Description) ? null : definition.Description.Trim(),
        Model = string.IsNullOrWhiteSpace(definition.Model) ? null : definition.Model,
        Tools = (definition.Tools ?? []).Order(StringComparer.Ordinal).ToList(),
        Scopes = (definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>())
            .ToDictionary(s => s.Key, s => (IReadOnlyList<string>)s.Value.Select(v => v.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), StringComparer.Ordinal),
        Triggers = definition.Triggers ?? AgentTriggers.ManualOnly,
        Budgets = definition.Budgets ?? AgentBudgets.Default,
    };

    internal static JsonNode? Snapshot(AgentDefinition definition) => JsonSerializer.SerializeToNode(definition, AgentStore.Json);
}
