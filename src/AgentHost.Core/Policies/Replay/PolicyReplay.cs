using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using AgentHost.Core.Gate;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies.Replay;

/// <summary>
/// Puts recorded calls to a candidate policy set and to a baseline (the set in force, or the decisions
/// the trail recorded) and lists the calls whose decision would change. Both sides see the same request
/// (the agent as it is now, the recorded arguments, taint and requester), so a difference is the policy
/// change's alone. Pure and parallel: PolicySet is immutable and thread-safe.
/// </summary>
public static class PolicyReplay
{
    public const int DefaultListed = 200;

    /// <param name="baseline">The set to compare with; null compares with the recorded decisions (offline, when the old files are gone).</param>
    public static PolicyReplayReport Run(
        DateTimeOffset since,
        IReadOnlyList<RecordedCall> calls,
        IReadOnlyDictionary<string, AgentContext> agents,
        PolicySet? baseline,
        PolicySet candidate,
        IEmployeeFacts facts,
        ToolCatalog catalog,
        int listed = DefaultListed)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(catalog);
        var clock = Stopwatch.StartNew();
        var changed = new ConcurrentBag<List<ReplayedCall>>();
        var notReplayed = 0;
        // Partitioner.Create refuses an empty range: a fresh store has no calls to replay.
        if (calls.Count > 0)
        {
            Parallel.ForEach(
                Partitioner.Create(0, calls.Count, Math.Max(1024, calls.Count / (Environment.ProcessorCount * 8) + 1)),
                () => new List<ReplayedCall>(),
                (range, _, found) =>
                {
                    for (var i = range.Item1; i < range.Item2; i++)
                    {
                        if (!TryReplay(calls[i], agents, baseline, candidate, facts, catalog, out var replayed))
                        {
                            Interlocked.Increment(ref notReplayed);
                        }
                        else if (replayed is not null)
                        {
                            found.Add(replayed);
                        }
                    }

                    return found;
                },
                changed.Add);
        }

        var all = changed.SelectMany(c => c).OrderBy(c => c.Call.Seq).ToList();
        var groups = all
            .GroupBy(c => (c.Change, Rule: string.Join(", ", c.DecidingRules), c.Call.AgentId))
            .Select(g => new ReplayGroup(g.Key.Change, g.Key.Rule, g.Key.AgentId, g.Count(), [.. g.Take(5).Select(c => c.Call.CallId)]))
            .OrderByDescending(g => g.Calls).ThenBy(g => g.Change).ThenBy(g => g.Rule, StringComparer.Ordinal).ThenBy(g => g.AgentId, StringComparer.Ordinal)
            .ToList();
        var byChange = all.GroupBy(c => c.Change).ToDictionary(g => g.Key, g => g.Count());
        return new PolicyReplayReport(
            since, baseline?.Hash ?? "recorded", candidate.Hash, calls.Count - notReplayed, notReplayed, all.Count, byChange, groups, [.. all.Take(Math.Max(0, listed))], clock.Elapsed);
    }

    /// <summary>False when the call cannot be replayed; else <paramref name="changed"/> is its change, or null when none.</summary>
    private static bool TryReplay(
        RecordedCall call, IReadOnlyDictionary<string, AgentContext> agents, PolicySet? baseline, PolicySet candidate, IEmployeeFacts facts, ToolCatalog catalog, out ReplayedCall? changed)
    {
        changed = null;
        // A tool gone from the catalog (an MCP server removed, or offline where only built-in plugins are
        // known) is denied under any set: no difference there is the policy change's.
        if (!agents.TryGetValue(call.AgentId, out var agent) || (baseline is null && call.RecordedDecision is null) || !catalog.TryGet(call.Function, out var tool))
        {
            return false;
        }

        // Arguments the gate refused as malformed were never put to any policy; no set changes that.
        if (Request(call, tool, agent) is not { } request)
        {
            return true;
        }

        var before = baseline?.Evaluate(request, facts)
            ?? new PolicyDecision(call.RecordedDecision!.Value, call.RecordedRules, [], "recorded", "as recorded in the audit trail");
        var after = candidate.Evaluate(request, facts);
        if (Compare(before, after, comparesApprovers: baseline is not null) is { } change)
        {
            changed = new ReplayedCall(call, change, before, after);
        }

        return true;
    }

    /// <summary>The change from one decision to the other, or null when they agree.</summary>
    public static PolicyChange? Compare(PolicyDecision before, PolicyDecision after, bool comparesApprovers = true)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return (before.Outcome, after.Outcome) switch
        {
            (PolicyOutcome.Allow, PolicyOutcome.Deny) => PolicyChange.AllowToDeny,
            (PolicyOutcome.Allow, PolicyOutcome.RequireApproval) => PolicyChange.AllowToApproval,
            (PolicyOutcome.RequireApproval, PolicyOutcome.Allow) => PolicyChange.ApprovalToAllow,
            (PolicyOutcome.RequireApproval, PolicyOutcome.Deny) => PolicyChange.ApprovalToDeny,
            (PolicyOutcome.Deny, PolicyOutcome.Allow) => PolicyChange.DenyToAllow,
            (PolicyOutcome.Deny, PolicyOutcome.RequireApproval) => PolicyChange.DenyToApproval,
            (PolicyOutcome.RequireApproval, PolicyOutcome.RequireApproval) when comparesApprovers && !SameApprovers(before.Approvals, after.Approvals) => PolicyChange.ApproversChanged,
            _ => null,
        };
    }

    private static bool SameApprovers(IReadOnlyList<ApprovalRequirement> before, IReadOnlyList<ApprovalRequirement> after) =>
        Approvers(before).SetEquals(Approvers(after));

    // Who signs off and how many; the timeout is not who signs off.
    private static HashSet<(string, int, string?)> Approvers(IReadOnlyList<ApprovalRequirement> requirements) =>
        [.. requirements.Select(r => (r.Group, r.Count, r.EscalateTo))];

    private static PolicyRequest? Request(RecordedCall call, ToolDescriptor tool, AgentContext agent)
    {
        try
        {
            using var json = JsonDocument.Parse(call.ArgumentsJson);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var (arguments, error) = ProposedArguments.Read(tool, json.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value.Clone())));
            return error is null ? new PolicyRequest(call.Function, arguments!, agent, call.Requester, call.TaintedArguments) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
