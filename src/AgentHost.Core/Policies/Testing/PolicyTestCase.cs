namespace AgentHost.Core.Policies.Testing;

/// <summary>A hypothetical call and the decision the policies must make for it.</summary>
public sealed record PolicyTestCase(
    string File,
    long Line,
    string Name,
    PolicyRequest Request,
    PolicyOutcome ExpectedOutcome,
    IReadOnlyList<string>? ExpectedRules,
    string? ExpectedApprovalGroup)
{
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

        if (ExpectedApprovalGroup is not null && decision.Approval?.Group != ExpectedApprovalGroup)
        {
            problems.Add($"expected approval by {ExpectedApprovalGroup}, got {decision.Approval?.Group ?? "none"}");
        }

        return new PolicyTestResult(File, Line, Name, problems.Count == 0, string.Join("; ", problems));
    }
}
