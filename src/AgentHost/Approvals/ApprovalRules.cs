using System.ComponentModel.DataAnnotations;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;

namespace AgentHost.Approvals;

/// <summary>
/// The approve/reject rules every way of deciding shares (the API, the inbox page, Slack's buttons through
/// the decider): what a decision must say, and who may decide an approval now. The store checks pending
/// and once-per-person again atomically when the vote is written; these are the same rules read first.
/// </summary>
public static class ApprovalRules
{
    public const int MaxCommentLength = 1000;

    /// <summary>Why <paramref name="approver"/> may not decide <paramref name="approval"/> now, or null when they may.</summary>
    public static DecisionRefusal? Refusal(Approval approval, string approver, EmployeeDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(directory);
        approver = ApproverIdentity.Canonical(approver);
        if (approval.ExclusionOf(approver) is { } who)
        {
            return new(StatusCodes.Status403Forbidden, $"{who} cannot approve or reject what the run asks for (separation of duties)", Audited: true);
        }

        var groups = approval.RequiredGroups;
        if (!groups.Any(g => directory.IsInGroup(approver, g.Group)))
        {
            return new(StatusCodes.Status403Forbidden, $"only members of {string.Join(" or ", groups.Select(g => g.Group))} decide this approval", Audited: true);
        }

        if (approval.Status != ApprovalStatus.Pending)
        {
            return new(StatusCodes.Status409Conflict, NoLongerPending, Audited: false);
        }

        return approval.Votes.Any(v => ApproverIdentity.Same(v.Approver, approver))
            ? new(StatusCodes.Status409Conflict, AlreadyDecided, Audited: false)
            : null;
    }

    public static bool CanDecide(Approval approval, string approver, EmployeeDirectory directory) =>
        Refusal(approval, approver, directory) is null;

    /// <summary>Per required group, its members who may decide now by these rules (none once it is no longer pending).</summary>
    public static IReadOnlyList<GroupDeciders> Deciders(Approval approval, EmployeeDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(directory);
        return [.. approval.RequiredGroups.Select(g => new GroupDeciders(g, [.. directory.MembersOf(g.Group).Where(e => CanDecide(approval, e.Email, directory))]))];
    }

    public const string NoLongerPending = "this approval is no longer pending";

    public const string AlreadyDecided = "you already decided this approval";

    /// <summary>The same DataAnnotations the API's validation applies to the body, for a form post; field → messages.</summary>
    public static Dictionary<string, string[]> Validate(ApprovalDecision decision)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(decision, new ValidationContext(decision), results, validateAllProperties: true);
        return results
            .SelectMany(r => r.MemberNames.DefaultIfEmpty(string.Empty).Select(m => (Field: m, r.ErrorMessage)))
            .GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage ?? "is invalid").ToArray(), StringComparer.Ordinal);
    }
}
