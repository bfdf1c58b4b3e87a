namespace AgentHost.Approvals;

/// <summary>What happened to an approval; <see cref="Settled"/> when its run can go on.</summary>
public sealed record ApprovalChanged(string ApprovalId, string RunId, ApprovalChange Change)
{
    public bool Settled => Change is ApprovalChange.Decided or ApprovalChange.Expired;
}

public enum ApprovalChange
{
    /// <summary>A vote was counted or refused; the approval may still be pending.</summary>
    Voted,

    /// <summary>Enough votes approved or rejected it.</summary>
    Decided,

    /// <summary>Nobody decided before its deadline.</summary>
    Expired,

    /// <summary>Its agent was disabled (kill switch); it will never be decided.</summary>
    AgentDisabled,

    /// <summary>Its run was stopped by a person (RunStopper); it will never be decided.</summary>
    RunStopped,
    /// <summary>Half its time is gone: the approvers who have not decided are reminded, once.</summary>
    Reminded,

    /// <summary>Nobody decided in time and its fallback group took it over, with a fresh deadline.</summary>
    Escalated,
}
