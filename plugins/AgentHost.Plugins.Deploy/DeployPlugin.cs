using AgentHost.Core.Tools;

namespace AgentHost.Plugins.Deploy;

/// <summary>The deploy plugin as the host registers it: its functions are <see cref="Tools.DeployTools"/>.</summary>
public static class DeployPlugin
{
    public static ToolPluginDescriptor Descriptor { get; } = new("deploy",
    [
        new ScopeDescriptor("github.repos", "deploy", "GitHub repositories", "owner/name", ArgumentKind.Repo),
        new ScopeDescriptor("github.environments", "deploy", "Deployment environments", "e.g. staging", ArgumentKind.Environment),
    ]);
}
