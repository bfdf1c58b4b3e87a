using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace AgentHost.Core.Policies.Conditions;

/// <summary>A test of one argument value; precompiled when the policy set loads.</summary>
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
/// compare exactly; scopes case-insensitively, as their systems do.
/// </summary>
internal sealed class SetTest(IEnumerable<string> values, string[] scopes) : ValueTest
{
    public FrozenSet<string> Values { get; } = values.ToFrozenSet(StringComparer.Ordinal);

    public string[] Scopes { get; } = scopes;

    public override bool Matches(string value, AgentContext agent)
    {
        if (Values.Contains(value))
        {
            return true;
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

/// <summary>domain_in: the address's domain is a listed domain or one granted in the agent's scopes.</summary>
internal sealed class DomainTest(IEnumerable<string> domains, string[] scopes) : ValueTest
{
    private readonly ScopeSet _domains = new(domains);

    public override bool Matches(string value, AgentContext agent)
    {
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
