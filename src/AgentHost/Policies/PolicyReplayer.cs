using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Replay;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using Microsoft.Extensions.Options;

namespace AgentHost.Policies;

/// <summary>
/// Replays the calls the trail recorded over a period against a candidate policy set, for the policies
/// page, POST /api/policy/replay and every reload: the agents as they are now, the people in the directory.
/// </summary>
public sealed class PolicyReplayer(StoreDatabase database, AgentStore agents, EmployeeDirectory directory, ToolCatalog catalog, IOptions<PoliciesOptions> options, TimeProvider time)
{
    public TimeSpan DefaultWindow => options.Value.ReplayWindow;

    public async Task<PolicyReplayReport> ReplayAsync(PolicySet? baseline, PolicySet candidate, TimeSpan window, CancellationToken cancellationToken) =>
        (await ReplayWithAgentsAsync(baseline, candidate, window, cancellationToken)).Report;

    /// <summary>As <see cref="ReplayAsync"/>, as people read it: agents named from the same read of the store.</summary>
    public async Task<ReplayView> ReplayViewAsync(PolicySet? baseline, PolicySet candidate, TimeSpan window, CancellationToken cancellationToken)
    {
        var (report, byId) = await ReplayWithAgentsAsync(baseline, candidate, window, cancellationToken);
        return ReplayView.From(report, byId);
    }

    private async Task<(PolicyReplayReport Report, Dictionary<string, Agent> Agents)> ReplayWithAgentsAsync(PolicySet? baseline, PolicySet candidate, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var since = time.GetUtcNow() - window;
        var calls = await RecordedCallReader.ReadAsync(database, since, options.Value.ReplayLimit, cancellationToken);
        var byId = (await agents.ListAsync(null, cancellationToken)).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var contexts = byId.ToDictionary(a => a.Key, a => ToolGate.ContextOf(a.Value), StringComparer.Ordinal);
        return (PolicyReplay.Run(since, calls, contexts, baseline, candidate, directory, catalog), byId);
    }
}
