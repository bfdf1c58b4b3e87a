namespace AgentHost.Core.Policies;

/// <summary>The agent a call is made for: whose it is, what it was granted, and where it may act.</summary>
public sealed record AgentContext(
    string? AgentId,
    string Owner,
    IReadOnlySet<string> Tools,
    IReadOnlyDictionary<string, ScopeSet> Scopes)
{
    /// <summary>The scope keys an agent can be granted (ARCHITECTURE.md section 6).</summary>
    public static IReadOnlySet<string> ScopeKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "slack.channels", "email.folders", "email.recipientDomains", "github.repos", "github.environments",
    };

    public static AgentContext Create(string? agentId, string owner, IEnumerable<string> tools, IReadOnlyDictionary<string, IEnumerable<string>>? scopes = null) => new(
        agentId,
        owner,
        new HashSet<string>(tools, StringComparer.Ordinal),
        (scopes ?? new Dictionary<string, IEnumerable<string>>()).ToDictionary(s => s.Key, s => new ScopeSet(s.Value), StringComparer.Ordinal));

    public ScopeSet Scope(string key) => Scopes.TryGetValue(key, out var set) ? set : ScopeSet.Empty;
}
