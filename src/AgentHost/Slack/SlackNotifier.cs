using AgentHost.Approvals;
using AgentHost.Plugins.Slack;
using AgentHost.Runs;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Tells Slack what changed: a new approval, a vote or an expiry, a run that ended. Each is a
/// background job, so a slow or rate-limited Slack never holds up a run or a decision.
/// Without a bot token it does nothing; the web inbox reads the store either way. It hears of runs and
/// approvals as their observer: neither feature knows Slack exists.
/// </summary>
public sealed class SlackNotifier(IBackgroundJobClient jobs, IOptions<SlackOptions> options) : IRunObserver, IApprovalObserver
{
    void IApprovalObserver.Requested(ApprovalRequested requested) => ApprovalRequested(requested.ApprovalId);

    void IApprovalObserver.Changed(ApprovalChanged changed) => ApprovalChanged(changed.ApprovalId);

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
