namespace AgentHost.Core.Tools;

/// <summary>
/// What the gate knows of one plugin function (a [KernelFunction] method): its effect and reach, which
/// policies match on, and whether what it returns was written by someone other than the agent's owner.
/// A function without it is not offered: every tool the model can call is declared to the gate.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ToolGateAttribute(ToolEffect effect, ToolReach reach) : Attribute
{
    public ToolEffect Effect { get; } = effect;

    public ToolReach Reach { get; } = reach;

    /// <summary>The result carries content others wrote (a message, a mail, a PR body): the run tracks it as untrusted.</summary>
    public bool UntrustedResult { get; init; }
}
