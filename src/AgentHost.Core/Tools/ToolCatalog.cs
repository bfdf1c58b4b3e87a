using System.Collections.Frozen;

namespace AgentHost.Core.Tools;

/// <summary>The tools an agent can be granted. Policies are checked against it at load time.</summary>
public sealed class ToolCatalog
{
    private readonly IToolSource[] _sources;
    private readonly Lock _rebuilding = new();
    private volatile Snapshot _snapshot;

    public ToolCatalog(IEnumerable<ToolDescriptor> tools, IEnumerable<ScopeDescriptor>? scopes = null)
        : this([new FixedToolSource(tools, scopes)])
    {
    }

    public ToolCatalog(IEnumerable<IToolSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = [.. sources];
        _snapshot = Build(_sources);
        foreach (var source in _sources)
        {
            source.Changed += (_, _) => Rebuild();
        }
    }

    /// <summary>Raised after the catalog changed (an MCP tool approved or disabled): policies are compiled again.</summary>
    public event EventHandler? Changed;

    public IReadOnlyCollection<ToolDescriptor> All => _snapshot.ByName.Values;

    public IReadOnlyList<string> Plugins => _snapshot.Plugins;

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ToolDescriptor tool) =>
        _snapshot.ByName.TryGetValue(name, out tool);

    /// <summary>The scopes the plugins declare, by key (ordinal order): the agent form, the validator and the policy loader read them.</summary>
    public IReadOnlyList<ScopeDescriptor> Scopes => _snapshot.Scopes;

    public IReadOnlyList<string> ScopeKeys => _snapshot.ScopeKeys;

    public bool TryGetScope(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ScopeDescriptor scope) =>
        _snapshot.ScopesByKey.TryGetValue(key, out scope);

    /// <summary>A scope value in the canonical form of the scope's kind; a value of an unknown scope is returned as it is.</summary>
    public string NormalizeScopeValue(string key, string value) =>
        TryGetScope(key, out var scope) ? ValueNormalization.Normalize(scope.Kind, value) : value;

    private void Rebuild()
    {
        lock (_rebuilding)
        {
            _snapshot = Build(_sources);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private static Snapshot Build(IToolSource[] sources)
    {
        var tools = sources.SelectMany(s => s.Tools).ToList();
        var duplicate = tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two tool sources declare {duplicate.Key}");
        }

        var scopes = sources.SelectMany(s => s.Scopes).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        var twice = scopes.GroupBy(s => s.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidOperationException($"two tool sources declare the scope {twice.Key}");
        }

        return new Snapshot(
            tools.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal),
            [.. tools.Select(t => t.Plugin).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            scopes,
            [.. scopes.Select(s => s.Key)],
            scopes.ToFrozenDictionary(s => s.Key, StringComparer.Ordinal));
    }

    private sealed record Snapshot(
        FrozenDictionary<string, ToolDescriptor> ByName,
        IReadOnlyList<string> Plugins,
        IReadOnlyList<ScopeDescriptor> Scopes,
        IReadOnlyList<string> ScopeKeys,
        FrozenDictionary<string, ScopeDescriptor> ScopesByKey);
}
