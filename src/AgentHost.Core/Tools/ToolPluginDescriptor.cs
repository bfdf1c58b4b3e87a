namespace AgentHost.Core.Tools;

/// <summary>
/// A plugin as the host registers it: its name (the prefix of its catalog names, slack in
/// slack.post_message) and the scopes its tools can be restricted to. Its functions are declared on the
/// plugin's class, each with a <see cref="ToolGateAttribute"/>.
/// </summary>
public sealed record ToolPluginDescriptor(string Name, IReadOnlyList<ScopeDescriptor> Scopes)
{
    public ToolPluginDescriptor(string name)
        : this(name, [])
    {
    }
}
