using AgentHost.Approvals;

namespace AgentHost.Runs;

/// <summary>
/// Resumes the run an approval held once the approval settles (decided or expired). Approvals do not
/// know about runs: this observer is how a decision reaches the run loop, as a queued resume job.
/// </summary>
public sealed class ParkedRunResumer(RunDispatcher dispatcher) : IApprovalObserver
{
    public void Requested(ApprovalRequested requested)
    {
    }

    public void Changed(ApprovalChanged changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (changed.Settled)
        {
            dispatcher.Resume(changed.ApprovalId);
        }
    }
}
