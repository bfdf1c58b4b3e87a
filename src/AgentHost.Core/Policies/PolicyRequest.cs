namespace AgentHost.Core.Policies;

/// <summary>
/// A proposed tool call, as the gate sees it. <see cref="TaintedArguments"/> names the arguments whose
/// values came from untrusted content (an email body, someone else's Slack message, a PR description).
/// </summary>
public sealed record PolicyRequest(
    string Function,
    IReadOnlyDictionary<string, ToolArgumentValue> Arguments,
    AgentContext Agent,
    string Requester,
    IReadOnlySet<string> TaintedArguments)
{
    public static IReadOnlySet<string> NoTaint { get; } = new HashSet<string>();
}
