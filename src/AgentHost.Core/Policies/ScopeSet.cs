using System.Collections;

namespace AgentHost.Core.Policies;

/// <summary>
/// The values an agent was granted for one scope (channels, repos, domains). Case-insensitive, as Slack
/// channel names, GitHub repositories and mail domains are; span lookups so a domain needs no substring.
/// </summary>
public sealed class ScopeSet : IReadOnlyCollection<string>
{
    private readonly HashSet<string> _values;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _spans;

    public ScopeSet(IEnumerable<string> values)
    {
        _values = new HashSet<string>(values, StringComparer.OrdinalIgnoreCase);
        _spans = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static ScopeSet Empty { get; } = new([]);

    public int Count => _values.Count;

    public bool Contains(ReadOnlySpan<char> value) => _spans.Contains(value);

    /// <summary>Whether every value is already in the canonical form of <paramref name="kind"/> (checked without allocating).</summary>
    public bool IsCanonical(Tools.ArgumentKind kind)
    {
        foreach (var value in _values)
        {
            // Normalize returns the same instance for a canonical value.
            if (!ReferenceEquals(Tools.ValueNormalization.Normalize(kind, value), value))
            {
                return false;
            }
        }

        return true;
    }

    public IEnumerator<string> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
