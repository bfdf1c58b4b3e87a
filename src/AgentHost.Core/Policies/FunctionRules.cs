using System.Collections.Frozen;

namespace AgentHost.Core.Policies;

/// <summary>
/// The rules that can apply to one function. Rules with a positive equals/in test on an argument sit
/// in a dictionary keyed by value, so ten thousand per-channel rules cost one lookup, not a scan.
/// </summary>
internal sealed class FunctionRules(CompiledRule[] unindexed, FunctionRules.ValueIndex[] indexes)
{
    public CompiledRule[] Unindexed { get; } = unindexed;

    public ValueIndex[] Indexes { get; } = indexes;

    public sealed record ValueIndex(string Argument, FrozenDictionary<string, CompiledRule[]> RulesByValue);
}
