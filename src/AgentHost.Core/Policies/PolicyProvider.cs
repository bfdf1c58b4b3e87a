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

    /// <summary>
    /// The folder's files with <paramref name="changes"/> applied (a bare file name and its new text, or
    /// null to remove it), compiled as a reload would compile them, without changing the set in force:
    /// the candidate a reviewer replays before editing the folder. Unchanged files keep their paths, so a
    /// candidate equal to the folder has the same hash.
    /// </summary>
    public PolicyLoadResult LoadCandidate(IReadOnlyDictionary<string, string?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var refused = changes.Keys
            .Where(name => name.Length == 0 || name != Path.GetFileName(name) || name.StartsWith('.') || !PolicyLoader.IsPolicyFile(name))
            .Select(name => new PolicyError(name, 0, 0, "a candidate file is a bare file name ending in .yaml or .yml"))
            .ToList();
        if (refused.Count > 0)
        {
            return new PolicyLoadResult(null, refused);
        }

        var files = System.IO.Directory.Exists(Directory) ? PolicyLoader.ReadDirectory(Directory) : [];
        var byName = files.ToDictionary(f => Path.GetFileName(f.Name), StringComparer.Ordinal);
        foreach (var (name, text) in changes)
        {
            byName.Remove(name);
            if (text is not null)
            {
                byName[name] = new PolicyFile(Path.Combine(Directory, name), text);
            }
        }

        return PolicyLoader.Load([.. byName.Values.OrderBy(f => f.Name, StringComparer.Ordinal)], catalog, hostLists);
    }

    /// <summary>Puts a loaded set in force; the host audits the change first, so none takes effect unrecorded.</summary>
    public void Activate(PolicySet policySet)
    {
        ArgumentNullException.ThrowIfNull(policySet);
        _current = policySet;
    }
}
