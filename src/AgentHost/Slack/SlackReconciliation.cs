using AgentHost.Core.Notifications;
using Hangfire;

namespace AgentHost.Slack;

/// <summary>
/// Jobs live in memory; approvals and clicks live in the store. At start-up every pending approval that
/// was never posted (the host stopped in between) gets its Slack message, and every click that was
/// acknowledged but never applied is applied.
/// </summary>
public sealed class SlackReconciliation(NotificationStore notifications, InboundEventLog inbound, SlackNotifier notifier, IBackgroundJobClient jobs, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var approvalId in await notifications.UnpostedPendingApprovalsAsync(cancellationToken))
        {
            notifier.ApprovalRequested(approvalId);
        }

        await ReplayClicksAsync(inbound, jobs, time.GetUtcNow(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Queues the job of every click recorded up to <paramref name="receivedBefore"/> and not yet applied; returns how many.</summary>
    public static async Task<int> ReplayClicksAsync(InboundEventLog inbound, IBackgroundJobClient jobs, DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(jobs);
        var pending = await inbound.UnhandledAsync(SlackClick.Source, receivedBefore, cancellationToken);
        foreach (var click in pending)
        {
            var eventId = click.EventId;
            jobs.Enqueue<SlackApprovalJob>(job => job.HandleRecordedClicksAsync(eventId, CancellationToken.None));
        }

        return pending.Count;
    }
}
