using AgentHost.Core.Tools;
using AgentHost.Tools;

namespace AgentHost.Tests.Infrastructure;

/// <summary>The catalog of the built-in plugins, read from their classes through the host's own registrations.</summary>
public static class TestCatalog
{
    public static ToolCatalog Standard { get; } = BuiltInPlugins.Catalog();
}
