using System.Collections.Frozen;
using System.Text.RegularExpressions;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies.Conditions;

/// <summary>
/// A test of one argument value; precompiled when the policy set loads. The value arrives normalised for
/// its kind (<see cref="ArgumentKind"/>) and the test's literals were normalised the same way at load, so
/// tests compare as the target system does: case-insensitively for environments, repos, channels, addresses.
/// </summary>
internal abstract class ValueTest
{
    public abstract bool Matches(string value, AgentContext agent);

    /// <summary>The part after the last '@' of an address, or empty when there is none.</summary>
    protected static ReadOnlySpan<char> DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? [] : address.AsSpan(at + 1).Trim();
    }
}

/// <summary>
/// equals / in: the value is one of the literals or is granted in one of the agent's scopes. Literals
/// compare as the argument's kind does (a SHA also by a 7+ character prefix); scopes case-insensitively.
/// </summary>
internal sealed class SetTest(IEnumerable<string> values, string[] scopes, ArgumentKind kind = ArgumentKind.Text) : ValueTest
{
    public ArgumentKind Kind { get; } = kind;

    public FrozenSet<string> Values { get; } = values.Select(v => ValueNormalization.Normalize(kind, v)).ToFrozenSet(ValueNormalization.Comparer(kind));

    public string[] Scopes { get; } = scopes;

    public override bool Matches(string value, AgentContext agent)
    {
        if (Values.Contains(value))
        {
            return true;
        }

        if (Kind == ArgumentKind.Sha)
        {
            foreach (var literal in Values)
            {
                if (ValueNormalization.SameCommit(literal, value))
                {
                    return true;
                }
            }
        }

        foreach (var scope in Scopes)
        {
            if (agent.Scope(scope).Contains(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// domain_in: the address's domain is a listed domain or one granted in the agent's scopes. On an address
/// argument, a value that is not exactly one plain address has no domain, so domain_in never holds on it.
/// </summary>
internal sealed class DomainTest(IEnumerable<string> domains, string[] scopes, ArgumentKind kind = ArgumentKind.Text) : ValueTest
{
    private readonly ScopeSet _domains = new(domains.Select(ValueNormalization.Domain));

    public override bool Matches(string value, AgentContext agent)
    {
        if (kind == ArgumentKind.Email && !EmailAddressText.IsAddress(value))
        {
            return false;
        }

        var domain = DomainOf(value);
        if (domain.IsEmpty)
        {
            return false;
        }

        if (_domains.Contains(domain))
        {
            return true;
        }

        foreach (var scope in scopes)
        {
            if (agent.Scope(scope).Contains(domain))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class PatternTest(Regex pattern) : ValueTest
{
    public override bool Matches(string value, AgentContext agent) => pattern.IsMatch(value);
}

internal sealed class PresentTest : ValueTest
{
    public static PresentTest Instance { get; } = new();

    public override bool Matches(string value, AgentContext agent) => true;
}
