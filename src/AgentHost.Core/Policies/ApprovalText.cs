namespace AgentHost.Core.Policies;

/// <summary>The words for what several approval requirements add up to, the same in every explanation.</summary>
public static class ApprovalText
{
    /// <summary>"needs approval by each group: 1 of security-approvers and 2 of deploy-approvers (different people per group)".</summary>
    public static string Needed(IReadOnlyList<ApprovalRequirement> approvals)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        var groups = string.Join(" and ", approvals.Select(a => $"{a.Count} of {a.Group}"));
        return approvals.Count == 1
            ? $"needs approval by {groups}"
            : $"needs approval by each group: {groups} (different people per group)";
    }
}
