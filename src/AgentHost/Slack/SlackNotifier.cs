using AgentHost.Plugins.Slack;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Tells Slack what changed: a new approval, a vote or an expiry, a run that ended. Each is a
/// background job, so a slow or rate-limited Slack never holds up a run or a decision.
/// Without a bot token it does nothing; the web inbox reads the store either way.
/// </summary>
public sealed class SlackNotifier(IBackgroundJobClient jobs, IOptions<SlackOptions> options)
{
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
