using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Audit;

namespace AgentHost.Core.Agents;

/// <summary>
/// Creating, changing and disabling agents: validated, stored as a new version of the agent's history,
/// and audited with the definition before and after, the diff and the version number, so security can say
/// who gave an agent which tool and when. A save that changes nothing is no version and no event.
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
            ["definitionVersion"] = agent.DefinitionVersion,
            ["diff"] = DiffNode(store.Diff(null, agent.Definition)),
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

        if (await store.UpdateAsync(current, Normalize(definition), editor, cancellationToken) is not { } save)
        {
            return new AgentChange(null, new Dictionary<string, string[]>(), Conflict: true);
        }

        if (!save.Diff.IsEmpty)
        {
            await audit.AppendAsync(Updated(current, save, editor), cancellationToken);
        }

        return AgentChange.Done(save.Agent);
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

    /// <summary>agent.updated for a stored save: the definition before and after, the row's version, and the history's version and diff.</summary>
    internal static AuditEntry Updated(Agent before, AgentSave save, string editor) =>
        new(AuditEventTypes.AgentUpdated, AuditActor.Employee(editor), before.Id, Data: new()
        {
            ["before"] = Snapshot(before.Definition),
            ["after"] = Snapshot(save.Agent.Definition),
            ["version"] = save.Agent.Version,
            ["definitionVersion"] = save.Agent.DefinitionVersion,
            ["diff"] = DiffNode(save.Diff),
        });

    internal static JsonNode? DiffNode(History.AgentDiff diff) => JsonSerializer.SerializeToNode(diff, History.AgentVersionStore.DiffJson);

    internal static JsonNode? Snapshot(AgentDefinition definition) => JsonSerializer.SerializeToNode(definition, AgentStore.Json);
}
