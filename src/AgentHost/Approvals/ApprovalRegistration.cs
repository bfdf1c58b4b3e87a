using AgentHost.Core.Approvals;
using AgentHost.Hosting;

namespace AgentHost.Approvals;

public static class ApprovalRegistration
{
    /// <summary>
    /// The approval services and, on workers, the expiry sweeper. Who reacts to an approval (the run
    /// that parked on it, Slack) registers an <see cref="IApprovalObserver"/> in its own feature.
    /// </summary>
    public static WebApplicationBuilder AddApprovals(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ApprovalStore>();
        builder.Services.AddSingleton<ApprovalEvents>();
        builder.Services.AddSingleton<ApprovalDecider>();
        builder.Services.AddSingleton<ApprovalVisibility>();
        builder.Services.AddSingleton<ApprovalExpiry>();
        builder.Services.AddSingleton<RejectForms>();
        if (builder.RunsWorkers())
        {
            builder.Services.AddHostedService<ApprovalExpirySweeper>();
        }

        return builder;
    }
}
