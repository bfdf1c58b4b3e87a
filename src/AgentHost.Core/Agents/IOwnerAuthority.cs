namespace AgentHost.Core.Agents;

/// <summary>
/// Whether an agent's scope values are ones its owner may use themselves. The answers come from Slack,
/// GitHub and the directory, which Core does not reference: the host implements this seam.
/// </summary>
public interface IOwnerAuthority
{
    /// <summary>
    /// The scope values the owner does not hold and no admin granted, keyed by field (scopes.slack.channels),
    /// each message naming the value; empty when every value is within the owner's authority.
    /// </summary>
    Task<Dictionary<string, string[]>> RefusedAsync(string owner, string? agentId, AgentDefinition definition, CancellationToken cancellationToken);
}
