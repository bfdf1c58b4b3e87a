namespace AgentHost.Approvals;

/// <summary>
/// Hears about approvals without their publishers knowing who listens (Slack posts and updates its
/// message; Runs resumes a parked run once its approval settles). Zero or many are registered. An
/// observer must not block: it enqueues its work and returns.
/// </summary>
public interface IApprovalObserver
{
    void Requested(ApprovalRequested requested);

    void Changed(ApprovalChanged changed);
}
