using AgentHost.Core.Tools;

namespace AgentHost.Plugins.Email;

/// <summary>The email plugin as the host registers it: its functions are <see cref="Tools.EmailTools"/>.</summary>
public static class EmailPlugin
{
    public static ToolPluginDescriptor Descriptor { get; } = new("email",
    [
        new ScopeDescriptor("email.folders", "email", "Mail folders", "e.g. INBOX, Support", ArgumentKind.Folder),
        new ScopeDescriptor("email.recipientDomains", "email", "Mail recipient domains", "e.g. partner.test", ArgumentKind.Domain),
    ]);
}
