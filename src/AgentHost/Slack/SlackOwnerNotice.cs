using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;
using AgentHost.Core.Redaction;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Tells an agent's owner, in a direct message, what became of a request their agent made: approved,
/// rejected (by whom and why), expired, or escalated to another group. Each is told once (claimed in the
/// store first, given back if Slack fails so the retry tells it); an owner without a Slack account is not told here.
/// </summary>
public sealed class SlackOwnerNotice(ISlackClient slack, ApprovalStore approvals, AgentStore agents, EmployeeDirectory directory, SecretRedactor redactor, IOptions<SlackOptions> options)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task TellOwnerAsync(string approvalId, CancellationToken cancellationToken)
    {
        var approval = await approvals.GetAsync(approvalId, cancellationToken);
        if (approval is null || Kind(approval) is not { } kind || directory.FindByEmail(approval.Owner)?.SlackUserId is not { } owner)
        {
            return;
        }

        if (!await approvals.ClaimNoticeAsync(approvalId, "owner:" + kind, cancellationToken))
        {
            return;
        }

        var agentName = (await agents.GetAsync(approval.AgentId, cancellationToken))?.Definition.Name ?? approval.AgentId;
        try
        {
            await slack.PostMessageAsync(new SlackMessage(owner, Text(approval, kind, agentName)), cancellationToken);
        }
        catch
        {
            await approvals.ReleaseNoticeAsync(approvalId, "owner:" + kind, CancellationToken.None);
            throw;
        }
    }

    /// <summary>What there is to tell: a settled outcome, or an escalation while it still waits.</summary>
    private static string? Kind(Approval approval) => approval.Status switch
    {
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Rejected => "rejected",
        ApprovalStatus.Expired => "expired",
        ApprovalStatus.Pending when approval.EscalatedAt is not null => "escalated",
        _ => null,
    };

    private string Text(Approval approval, string kind, string agentName)
    {
        var what = $"Your agent {agentName} asked to call {approval.Function}";
        var run = options.Value.Links is { } links ? $" Run: {new Uri(links, $"runs/{Uri.EscapeDataString(approval.RunId)}")}" : $" (run {approval.RunId})";
        var rejections = approval.Votes.Where(v => v.Decision == "reject")
            .Select(v => v.Comment is { Length: > 0 } reason ? $"{v.Approver}: \"{redactor.Redact(reason)}\"" : v.Approver);
        var approvers = string.Join(", ", approval.Votes.Where(v => v.Decision == "approve").Select(v => v.Approver));
        return kind switch
        {
            "approved" => $"{what}: approved by {approvers}; the run continues.{run}",
            "rejected" => $"{what}: rejected by {string.Join("; ", rejections)}. The agent is told and does not do it.{run}",
            "expired" => $"{what}: nobody decided before it expired; the agent is told and does not do it.{run}",
            _ => $"{what}: nobody decided in time, so it now waits for {approval.EscalateTo} ({ExpiryText.Relative(approval.ExpiresAt, approval.EscalatedAt!.Value)}, {ExpiryText.Absolute(approval.ExpiresAt)}).{run}",
        };
    }
}
