using AgentHost.Core.Tools;

namespace AgentHost.Core.Agents;

/// <summary>
/// One spelling per scope value, the way the target system compares it, so an entitlement, an admin grant
/// and a saved value agree whatever case or white space the form used. It is the gate's own normalisation
/// of the argument kind each scope names (the plugin's <see cref="ScopeDescriptor.Kind"/>): the owner's
/// authority is checked on exactly the value the policy later compares arguments with.
/// </summary>
public static class ScopeValues
{
    public static string Canonical(ToolCatalog catalog, string scope, string value)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(value);
        return catalog.NormalizeScopeValue(scope, value.Trim());
    }

    public static bool Same(ToolCatalog catalog, string scope, string left, string right) =>
        string.Equals(Canonical(catalog, scope, left), Canonical(catalog, scope, right), StringComparison.Ordinal);
}
