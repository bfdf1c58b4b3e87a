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

    /// <summary>Loads and, if the set is good, puts it in force at once.</summary>
    public PolicyLoadResult Reload()
    {
        lock (_reloading)
        {
            var result = Load();
            if (result.PolicySet is { } loaded)
            {
                Activate(loaded);
            }

            return result;
        }
    }

    /// <summary>Reads and compiles the folder without changing the set in force.</summary>
    public PolicyLoadResult Load() => PolicyLoader.LoadDirectory(Directory, catalog, hostLists);

    /// <summary>Puts a loaded set in force; the host audits the change first, so none takes effect unrecorded.</summary>
    public void Activate(PolicySet policySet)
    {
        ArgumentNullException.ThrowIfNull(policySet);
        _current = policySet;
    }
}
