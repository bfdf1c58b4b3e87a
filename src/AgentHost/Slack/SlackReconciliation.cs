using AgentHost.Core.Notifications;

namespace AgentHost.Slack;

/// <summary>
/// Jobs live in memory; approvals live in the store. At start-up every pending approval that was never
/// posted (the host stopped in between) gets its Slack message.
/// </summary>
public sealed class SlackReconciliation(NotificationStore notifications, SlackNotifier notifier) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var approvalId in await notifications.UnpostedPendingApprovalsAsync(cancellationToken))
        {
            notifier.ApprovalRequested(approvalId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
