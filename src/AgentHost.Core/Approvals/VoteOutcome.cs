namespace AgentHost.Core.Approvals;

/// <summary>What became of one approver's click or API call.</summary>
public enum VoteOutcome
{
    /// <summary>Counted; more approvals are still needed.</summary>
    Counted,

    /// <summary>Counted, and the approval is now granted.</summary>
    Approved,

    /// <summary>Counted, and the approval is now rejected.</summary>
    Rejected,

    /// <summary>This approver already decided; nothing changed.</summary>
    AlreadyVoted,

    /// <summary>The voter is excluded (owner, requester, starter) or in none of the required groups; nothing changed.</summary>
    NotEligible,

    /// <summary>The approval is no longer pending (decided, expired or cancelled); nothing changed.</summary>
    NotPending,
}
