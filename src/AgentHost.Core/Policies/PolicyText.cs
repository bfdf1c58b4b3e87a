namespace AgentHost.Core.Policies;

/// <summary>The words policy files and the API use for outcomes.</summary>
public static class PolicyText
{
    public static string Outcome(PolicyOutcome outcome) => outcome switch
    {
        PolicyOutcome.Allow => "allow",
        PolicyOutcome.RequireApproval => "require_approval",
        _ => "deny",
    };

    public static PolicyOutcome? ParseOutcome(string? text) => text switch
    {
        "allow" => PolicyOutcome.Allow,
        "require_approval" => PolicyOutcome.RequireApproval,
        "deny" => PolicyOutcome.Deny,
        _ => null,
    };
}
