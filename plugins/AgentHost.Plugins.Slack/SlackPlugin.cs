using AgentHost.Core.Tools;

namespace AgentHost.Plugins.Slack;

/// <summary>The Slack plugin as the host registers it: its functions are <see cref="Tools.SlackTools"/>.</summary>
public static class SlackPlugin
{
    public static ToolPluginDescriptor Descriptor { get; } = new("slack",
    [
        new ScopeDescriptor("slack.channels", "slack", "Slack channels", "channel ids, e.g. C0OPS", ArgumentKind.Channel),
    ]);
}
