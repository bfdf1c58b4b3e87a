using AgentHost.Approvals;
using AgentHost.Plugins.Slack;
using AgentHost.Runs;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Tells Slack what changed: a new approval, a vote or an expiry, a reminder or an escalation, a run that
/// ended; and the agent's owner how their request was decided. Each is a
/// background job, so a slow or rate-limited Slack never holds up a run or a decision.
/// Without a bot token it does nothing; the web inbox reads the store either way. It hears of runs and
/// approvals as their observer: neither feature knows Slack exists.
/// </summary>
public sealed class SlackNotifier(IBackgroundJobClient jobs, IOptions<SlackOptions> options) : IRunObserver, IApprovalObserver
{
    void IApprovalObserver.Requested(ApprovalRequested requested) => ApprovalRequested(requested.ApprovalId);

    void IApprovalObserver.Changed(ApprovalChanged changed)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var id = changed.ApprovalId;
        switch (changed.Change)
        {
            case ApprovalChange.Reminded:
                jobs.Enqueue<SlackApprovalJob>(job => job.RemindAsync(id, CancellationToken.None));
                return;
            case ApprovalChange.Escalated:
                jobs.Enqueue<SlackApprovalJob>(job => job.EscalatedAsync(id, CancellationToken.None));
                break;
            default:
                ApprovalChanged(id);
                break;
        }

        // The owner hears of every outcome and of an escalation (SlackOwnerNotice tells each once).
        if (changed.Change is ApprovalChange.Decided or ApprovalChange.Expired or ApprovalChange.Escalated)
        {
            jobs.Enqueue<SlackOwnerNotice>(job => job.TellOwnerAsync(id, CancellationToken.None));
        }
    }

    void IRunObserver.Ended(RunEnded ended) => RunEnded(ended.RunId);

    public void ApprovalRequested(string approvalId)
    {
        if (options.Value.Enabled)
        {
            jobs.Enqueue<SlackApprovalJob>(job => job.PostAsync(approvalId, CancellationToken.None));
        }
    }

    public void ApprovalChanged(string approvalId)
    {
        if (options.Value.Enabled)
        {
            jobs.Enqueue<SlackApprovalJob>(job => job.UpdateAsync(approvalId, CancellationToken.None));
        }
    }

    public void RunEnded(string runId)
    {
        if (options.Value.Enabled)
        {
            jobs.Enqueue<SlackMentionJob>(job => job.ReplyAsync(runId, CancellationToken.None));
        }
    }
}
