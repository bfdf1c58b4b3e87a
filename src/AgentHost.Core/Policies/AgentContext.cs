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
        Dictionary<string, ScopeSet>? changed = null;
        foreach (var (key, set) in Scopes)
        {
            if (!catalog.TryGetScope(key, out var scope) || scope.Kind is ArgumentKind.Text or ArgumentKind.Prose)
            {
                continue;
            }

            if (!IsCanonical(scope.Kind, set))
            {
                changed ??= new Dictionary<string, ScopeSet>(Scopes, StringComparer.Ordinal);
                changed[key] = new ScopeSet(set.Select(v => ValueNormalization.Normalize(scope.Kind, v)).ToList());
            }
        }

        return changed is null ? this : this with { Scopes = changed };
    }

    // Normalize returns the same instance for a canonical value: the gate's hot path allocates nothing.
    private static bool IsCanonical(ArgumentKind kind, ScopeSet set)
    {
        foreach (var value in set)
        {
            if (!ReferenceEquals(ValueNormalization.Normalize(kind, value), value))
            {
                return false;
            }
        }

        return true;
    }
}
