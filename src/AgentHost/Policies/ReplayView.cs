using System.Xml;
using AgentHost.Core.Agents;
using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Replay;
using AgentHost.Core.Storage;

namespace AgentHost.Policies;

/// <summary>What the candidate set would decide differently: counts, groups by change, rule and agent, the first changed calls.</summary>
public sealed record ReplayView(
    DateTimeOffset Since,
    string BaselineHash,
    string CandidateHash,
    int Replayed,
    int NotReplayed,
    int Changed,
    IReadOnlyDictionary<string, int> ByChange,
    IReadOnlyList<ReplayGroupView> Groups,
    IReadOnlyList<ReplayedCallView> Calls,
    double ElapsedMilliseconds)
{
    public static ReplayView From(PolicyReplayReport report, IReadOnlyDictionary<string, Agent> agents)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(agents);
        string? Name(string id) => agents.TryGetValue(id, out var agent) ? agent.Definition.Name : null;
        return new(
            report.Since,
            report.BaselineHash,
            report.CandidateHash,
            report.Replayed,
            report.NotReplayed,
            report.ChangedCount,
            report.ByChange.OrderBy(c => c.Key).ToDictionary(c => ChangeText(c.Key), c => c.Value, StringComparer.Ordinal),
            [.. report.Groups.Select(g => new ReplayGroupView(ChangeText(g.Change), g.Rule, g.AgentId, Name(g.AgentId), g.Calls, g.ExampleCallIds))],
            [.. report.Changed.Select(c => new ReplayedCallView(
                c.Call.Seq, c.Call.At, c.Call.RunId, c.Call.CallId, c.Call.AgentId, Name(c.Call.AgentId), c.Call.Function, ChangeText(c.Change),
                Decision(c.Before), Decision(c.After)))],
            Math.Round(report.Elapsed.TotalMilliseconds, 1));
    }

    public static string ChangeText(PolicyChange change) => change.ToText();

    private static ReplayDecisionView Decision(PolicyDecision decision) => new(
        PolicyText.Outcome(decision.Outcome),
        decision.RuleIds,
        [.. decision.Approvals.Select(a => new ApprovalRequirementView(a.Group, a.Count, XmlConvert.ToString(a.Timeout)))]);
}

public sealed record ReplayGroupView(string Change, string Rule, string AgentId, string? AgentName, int Calls, IReadOnlyList<string> ExampleCallIds);

public sealed record ReplayedCallView(long Seq, DateTimeOffset At, string RunId, string CallId, string AgentId, string? AgentName, string Function, string Change, ReplayDecisionView Before, ReplayDecisionView After);

public sealed record ReplayDecisionView(string Decision, IReadOnlyList<string> Rules, IReadOnlyList<ApprovalRequirementView> Approvals);
