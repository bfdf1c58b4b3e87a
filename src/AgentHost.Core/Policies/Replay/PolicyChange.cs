namespace AgentHost.Core.Policies.Replay;

/// <summary>How a replayed call's decision moved from the baseline to the candidate set.</summary>
public enum PolicyChange
{
    AllowToDeny,
    AllowToApproval,
    ApprovalToAllow,
    ApprovalToDeny,
    DenyToAllow,
    DenyToApproval,

    /// <summary>Still require_approval, but other groups or counts must sign off.</summary>
    ApproversChanged,
}
