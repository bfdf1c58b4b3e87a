using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies;

/// <summary>
/// Holds the policy set in force. A reload that fails leaves the last good set in place, so a typo in
/// a policy file can never open the gate or close the host.
/// </summary>
public sealed class PolicyProvider(string directory, ToolCatalog catalog, IReadOnlyDictionary<string, IReadOnlyList<string>>? hostLists = null)
{
    private readonly Lock _reloading = new();
    private volatile PolicySet? _current;

    public string Directory { get; } = directory;

    /// <summary>The set in force; throws before the first successful load (start-up refuses to run without one).</summary>
    public PolicySet Current => _current ?? throw new InvalidOperationException("no policy set has loaded");

    public bool HasPolicy => _current is not null;

    public PolicyLoadResult Reload()
    {
        lock (_reloading)
        {
            var result = PolicyLoader.LoadDirectory(Directory, catalog, hostLists);
            if (result.PolicySet is { } loaded)
            {
                _current = loaded;
            }

            return result;
        }
    }
}
