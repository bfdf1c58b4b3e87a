using AgentHost.Core.Tools;

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

    /// <summary>What each scope's values name: granted values are normalised like the arguments tested against them.</summary>
    public static IReadOnlyDictionary<string, ArgumentKind> ScopeKinds { get; } = new Dictionary<string, ArgumentKind>(StringComparer.Ordinal)
    {
        ["slack.channels"] = ArgumentKind.Channel,
        ["email.folders"] = ArgumentKind.Folder,
        ["email.recipientDomains"] = ArgumentKind.Domain,
        ["github.repos"] = ArgumentKind.Repo,
        ["github.environments"] = ArgumentKind.Environment,
    };

    public IReadOnlyDictionary<string, ScopeSet> Scopes { get; init; } = Normalized(Scopes);

    public static AgentContext Create(string? agentId, string owner, IEnumerable<string> tools, IReadOnlyDictionary<string, IEnumerable<string>>? scopes = null) => new(
        agentId,
        owner,
        new HashSet<string>(tools, StringComparer.Ordinal),
        (scopes ?? new Dictionary<string, IEnumerable<string>>()).ToDictionary(s => s.Key, s => new ScopeSet(s.Value), StringComparer.Ordinal));

    public ScopeSet Scope(string key) => Scopes.TryGetValue(key, out var set) ? set : ScopeSet.Empty;

    private static IReadOnlyDictionary<string, ScopeSet> Normalized(IReadOnlyDictionary<string, ScopeSet> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return scopes.Any(s => ScopeKinds.ContainsKey(s.Key))
            ? scopes.ToDictionary(
                s => s.Key,
                s => ScopeKinds.TryGetValue(s.Key, out var kind) ? new ScopeSet(s.Value.Select(v => ValueNormalization.Normalize(kind, v))) : s.Value,
                StringComparer.Ordinal)
            : scopes;
    }
}
