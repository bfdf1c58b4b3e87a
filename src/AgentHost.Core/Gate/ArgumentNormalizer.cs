using AgentHost.Core.Policies;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Gate;

/// <summary>
/// Rewrites each argument of a proposed call the way its target system compares it, before the policy
/// reads it; the plugin then executes the same normalised value, so the two can never disagree.
/// Which normalisation an argument gets is the tool descriptor's <see cref="ToolDescriptor.Kinds"/>.
/// </summary>
public static class ArgumentNormalizer
{
    /// <summary>Normalises against the catalog; a function it does not know is returned unchanged (the policy denies it).</summary>
    public static IReadOnlyDictionary<string, ToolArgumentValue> Normalize(ToolCatalog catalog, string function, IReadOnlyDictionary<string, ToolArgumentValue> arguments)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        return catalog.TryGet(function, out var tool) ? Normalize(tool, arguments) : arguments;
    }

    /// <summary>The same dictionary when every value is already canonical (the policy's hot path allocates nothing then).</summary>
    public static IReadOnlyDictionary<string, ToolArgumentValue> Normalize(ToolDescriptor tool, IReadOnlyDictionary<string, ToolArgumentValue> arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(arguments);
        Dictionary<string, ToolArgumentValue>? changed = null;
        foreach (var (name, kind) in tool.KindedArguments)
        {
            if (!arguments.TryGetValue(name, out var value) || IsCanonical(kind, value))
            {
                continue;
            }

            changed ??= new Dictionary<string, ToolArgumentValue>(arguments, StringComparer.Ordinal);
            changed[name] = Normalized(kind, value);
        }

        return changed ?? arguments;
    }

    // Out of the loop: a lambda capturing the loop's kind would allocate its closure on every pass.
    private static ToolArgumentValue Normalized(ArgumentKind kind, ToolArgumentValue value) => value.Count == 1 && !value.IsList
        ? new ToolArgumentValue(ValueNormalization.Normalize(kind, value[0]))
        : new ToolArgumentValue(value.Values().Select(v => ValueNormalization.Normalize(kind, v)).ToArray());

    private static bool IsCanonical(ArgumentKind kind, ToolArgumentValue value)
    {
        for (var i = 0; i < value.Count; i++)
        {
            // Normalize returns the same instance for a canonical value, so this check allocates nothing.
            if (!ReferenceEquals(ValueNormalization.Normalize(kind, value[i]), value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
