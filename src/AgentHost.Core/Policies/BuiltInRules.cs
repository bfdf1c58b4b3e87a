namespace AgentHost.Core.Policies;

/// <summary>Rule ids of the decisions the engine makes itself, before or after the policy rules.</summary>
public static class BuiltInRules
{
    /// <summary>No rule allowed the call.</summary>
    public const string DefaultDeny = "default-deny";

    /// <summary>The function is not in the tool catalog.</summary>
    public const string UnknownFunction = "unknown-function";

    /// <summary>The agent's owner did not grant this tool to the agent.</summary>
    public const string ToolNotGranted = "tool-not-granted";
}
