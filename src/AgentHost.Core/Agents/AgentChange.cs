namespace AgentHost.Core.Agents;

/// <summary>The outcome of a change to an agent: the agent, or the fields that were wrong, or a conflict.</summary>
public sealed record AgentChange(Agent? Agent, IReadOnlyDictionary<string, string[]> Errors, bool Conflict = false)
{
    public static AgentChange Invalid(Dictionary<string, string[]> errors) => new(null, errors);

    public static AgentChange Done(Agent agent) => new(agent, new Dictionary<string, string[]>());
}
