using System.ComponentModel.DataAnnotations;

namespace AgentHost.Approvals;

/// <summary>POST /api/approvals/{id}/decision (and the inbox's form): "approve" or "reject", with an optional comment.</summary>
public sealed record ApprovalDecision(
    [property: Required(ErrorMessage = ApprovalDecision.DecisionMessage), AllowedValues("approve", "reject", ErrorMessage = ApprovalDecision.DecisionMessage)] string? Decision,
    [property: StringLength(ApprovalRules.MaxCommentLength, ErrorMessage = "at most 1000 characters")] string? Comment)
{
    private const string DecisionMessage = "must be approve or reject";

    public bool Approve => Decision == "approve";

    /// <summary>A blank comment is no comment, whichever client sent it.</summary>
    public string? CommentOrNull => string.IsNullOrWhiteSpace(Comment) ? null : Comment;
}
