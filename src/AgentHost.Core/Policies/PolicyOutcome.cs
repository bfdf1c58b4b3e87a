namespace AgentHost.Core.Policies;

/// <summary>Ordered by precedence: when rules disagree, the larger value wins.</summary>
public enum PolicyOutcome
{
    Allow = 0,
    RequireApproval = 1,
    Deny = 2,
}
