using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies;

/// <summary>The agent a call is made for: whose it is, what it was granted, and where it may act.</summary>
public sealed record AgentContext(
    string? AgentId,
    string Owner,
    IReadOnlySet<string> Tools,
    IReadOnlyDictionary<string, ScopeSet> Scopes)
{
    public static AgentContext Create(string? agentId, string owner, IEnumerable<string> tools, IReadOnlyDictionary<string, IEnumerable<string>>? scopes = null) => new(
        agentId,
        owner,
        new HashSet<string>(tools, StringComparer.Ordinal),
        (scopes ?? new Dictionary<string, IEnumerable<string>>()).ToDictionary(s => s.Key, s => new ScopeSet(s.Value), StringComparer.Ordinal));

    public ScopeSet Scope(string key) => Scopes.TryGetValue(key, out var set) ? set : ScopeSet.Empty;

    /// <summary>
    /// The same agent with each granted value in the canonical form of its scope's kind (the catalog's
    /// <see cref="ToolCatalog.Scopes"/>), so it compares with the normalised arguments; this instance when
    /// nothing changes.
    /// </summary>
    public AgentContext Normalized(ToolCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (Scopes.Count == 0 || (Scopes is Dictionary<string, ScopeSet> scopes && IsCanonical(catalog, scopes)))
        {
            return this;
        }

        return this with { Scopes = NormalizedScopes(catalog, Scopes) };
    }

    // Apart from Normalized: its lambdas' closure would otherwise be allocated on every call, canonical or not.
    private static Dictionary<string, ScopeSet> NormalizedScopes(ToolCatalog catalog, IReadOnlyDictionary<string, ScopeSet> scopes) =>
        scopes.ToDictionary(
            s => s.Key,
            s => catalog.TryGetScope(s.Key, out var scope) ? new ScopeSet(s.Value.Select(v => ValueNormalization.Normalize(scope.Kind, v))) : s.Value,
            StringComparer.Ordinal);

    // The struct enumerators of Dictionary and HashSet: the gate's hot path allocates nothing.
    private static bool IsCanonical(ToolCatalog catalog, Dictionary<string, ScopeSet> scopes)
    {
        foreach (var (key, set) in scopes)
        {
            if (catalog.TryGetScope(key, out var scope) && !set.IsCanonical(scope.Kind))
            {
                return false;
            }
        }

        return true;
    }
}
