namespace AgentHost.Core.Tools;

/// <summary>
/// Declared metadata of one tool. Sinks are the arguments whose values decide where an effect lands
/// (a channel, a recipient, a ref): a tainted value in a sink is what prompt injection aims for.
/// </summary>
public sealed record ToolDescriptor(
    string Name,
    ToolEffect Effect,
    ToolReach Reach,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<string> Sinks,
    string Description)
{
    public string Plugin => Name[..Name.IndexOf('.', StringComparison.Ordinal)];
}
