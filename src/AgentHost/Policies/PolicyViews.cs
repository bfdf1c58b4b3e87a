using System.Xml;
using AgentHost.Core.Policies;

namespace AgentHost.Policies;

/// <summary>GET /api/policy: the policy set in force, its rules and the recent loads.</summary>
public sealed record PolicySetView(string PolicyHash, IReadOnlyList<string> Files, IReadOnlyList<PolicyRuleView> Rules, IReadOnlyList<PolicyLoadRecord> History)
{
    public static PolicySetView From(PolicySet set, IReadOnlyList<PolicyLoadRecord> history)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new(
            set.Hash,
            [.. set.Files.Select(f => Path.GetFileName(f))],
            [.. set.Rules.Select(r => new PolicyRuleView(r.Id, PolicyText.Outcome(r.Outcome), r.Description, Path.GetFileName(r.File), r.Line, r.Functions))],
            history);
    }
}

/// <summary>One rule as people read it: the file name (not the host's path) and line.</summary>
public sealed record PolicyRuleView(string Id, string Decision, string? Description, string File, long Line, IReadOnlyList<string> Functions);

/// <summary>
/// POST /api/policy/evaluate: what the policies would decide. Approval is the first required group, kept
/// for older clients; Approvals lists every group. Timeouts are ISO 8601 durations.
/// </summary>
public sealed record EvaluationView(string Decision, IReadOnlyList<string> Rules, FirstApprovalView? Approval, IReadOnlyList<ApprovalRequirementView> Approvals, string PolicyHash, string Explanation)
{
    public static EvaluationView From(PolicyDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new(
            PolicyText.Outcome(decision.Outcome),
            decision.RuleIds,
            decision.Approvals.Count > 0
                ? new FirstApprovalView(decision.Approvals[0].Group, decision.Approvals[0].Count, XmlConvert.ToString(decision.Approvals.Min(a => a.Timeout)), SelfApprovalForbidden: true)
                : null,
            [.. decision.Approvals.Select(a => new ApprovalRequirementView(a.Group, a.Count, XmlConvert.ToString(a.Timeout)))],
            decision.PolicyHash,
            decision.Explanation);
    }
}

/// <summary>The first approver group, with the shortest timeout of all.</summary>
public sealed record FirstApprovalView(string Group, int Count, string Timeout, bool SelfApprovalForbidden);

/// <summary>One approver group the decision requires.</summary>
public sealed record ApprovalRequirementView(string Group, int Count, string Timeout);
