using AgentHost.Core.Notifications;
using Hangfire;

namespace AgentHost.Slack;

/// <summary>
/// Jobs live in memory; approvals, clicks and mentions live in the store. At start-up every pending
/// approval that was never posted (the host stopped in between) gets its Slack message, and every click
/// or mention that was acknowledged but never handled is handled (InboundWork bounds how often).
/// </summary>
public sealed class SlackReconciliation(NotificationStore notifications, InboundEventLog inbound, SlackNotifier notifier, IBackgroundJobClient jobs, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var approvalId in await notifications.UnpostedPendingApprovalsAsync(cancellationToken))
        {
            notifier.ApprovalRequested(approvalId);
        }

        await ReplayAsync(inbound, jobs, time.GetUtcNow(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Queues the job of every click and mention recorded up to <paramref name="receivedBefore"/> and not yet handled; returns how many.</summary>
    public static async Task<int> ReplayAsync(InboundEventLog inbound, IBackgroundJobClient jobs, DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(jobs);
        var clicks = await inbound.UnhandledAsync(SlackClick.Source, receivedBefore, cancellationToken);
        foreach (var click in clicks)
        {
            var eventId = click.EventId;
            jobs.Enqueue<SlackApprovalJob>(job => job.HandleRecordedClicksAsync(eventId, CancellationToken.None));
        }

        var mentions = await inbound.UnhandledAsync(SlackMention.Source, receivedBefore, cancellationToken);
        foreach (var mention in mentions)
        {
            var eventId = mention.EventId;
            jobs.Enqueue<SlackMentionJob>(job => job.HandleRecordedMentionAsync(eventId, CancellationToken.None));
        }

        return clicks.Count + mentions.Count;
    }
}
