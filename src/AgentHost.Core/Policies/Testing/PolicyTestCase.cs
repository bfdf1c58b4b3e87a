namespace AgentHost.Core.Policies.Testing;

/// <summary>
/// A hypothetical call and the decision the policies must make for it. <see cref="ExpectedApprovalGroups"/>
/// is the exact set of groups that must all approve (`approval_group: x` or `approval_groups: [x, y]`);
/// <see cref="ExpectedEscalateTo"/> the group it escalates to on expiry (`escalate_to: x`, or `none`).
/// </summary>
public sealed record PolicyTestCase(
    string File,
    long Line,
    string Name,
    PolicyRequest Request,
    PolicyOutcome ExpectedOutcome,
    IReadOnlyList<string>? ExpectedRules,
    IReadOnlyList<string>? ExpectedApprovalGroups,
    string? ExpectedEscalateTo = null)
{
    /// <summary>What `escalate_to: none` expects: no fallback group.</summary>
    public const string NoEscalation = "none";

    public PolicyTestResult Run(PolicySet policies, IEmployeeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var decision = policies.Evaluate(Request, facts);
        var problems = new List<string>();
        if (decision.Outcome != ExpectedOutcome)
        {
            problems.Add($"expected {PolicyText.Outcome(ExpectedOutcome)}, got {PolicyText.Outcome(decision.Outcome)}");
        }

        if (ExpectedRules is not null && !decision.RuleIds.Order(StringComparer.Ordinal).SequenceEqual(ExpectedRules.Order(StringComparer.Ordinal)))
        {
            problems.Add($"expected rules [{string.Join(", ", ExpectedRules)}], got [{string.Join(", ", decision.RuleIds)}]");
        }

        var groups = decision.Approvals.Select(a => a.Group).Order(StringComparer.Ordinal).ToList();
        if (ExpectedApprovalGroups is not null && !groups.SequenceEqual(ExpectedApprovalGroups.Order(StringComparer.Ordinal)))
        {
            problems.Add($"expected approval by {string.Join(" and ", ExpectedApprovalGroups)}, got {(groups.Count == 0 ? "none" : string.Join(" and ", groups))}");
        }

        var escalation = decision.Approvals.Select(a => a.EscalateTo).FirstOrDefault(e => e is not null) ?? NoEscalation;
        if (ExpectedEscalateTo is not null && escalation != ExpectedEscalateTo)
        {
            problems.Add($"expected escalation to {ExpectedEscalateTo}, got {escalation}");
        }

        return new PolicyTestResult(File, Line, Name, problems.Count == 0, string.Join("; ", problems));
    }
}
