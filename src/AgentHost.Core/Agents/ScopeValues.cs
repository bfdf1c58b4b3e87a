using AgentHost.Core.Policies;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Agents;

/// <summary>
/// One spelling per scope value, the way the target system compares it, so an entitlement, an admin grant
/// and a saved value agree whatever case or white space the form used. It is the gate's own normalisation
/// of the argument kind each scope names (<see cref="AgentContext.ScopeKinds"/>): the owner's authority is
/// checked on exactly the value the policy later compares arguments with.
/// </summary>
public static class ScopeValues
{
    public static string Canonical(string scope, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        return AgentContext.ScopeKinds.TryGetValue(scope, out var kind) ? ValueNormalization.Normalize(kind, trimmed) : trimmed;
    }

    public static bool Same(string scope, string left, string right) =>
        string.Equals(Canonical(scope, left), Canonical(scope, right), StringComparison.Ordinal);
}
