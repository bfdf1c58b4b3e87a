using AgentHost.Core.Approvals;

namespace AgentHost.Slack;

/// <summary>
/// Jobs live in memory; approvals live in the store. At start-up every pending approval gets its Slack
/// message (posting is idempotent, so those already posted get nothing new).
/// </summary>
public sealed class SlackReconciliation(ApprovalStore approvals, SlackNotifier notifier) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var approval in await approvals.ListAsync(ApprovalStatus.Pending, cancellationToken))
        {
            notifier.ApprovalRequested(approval.Id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
