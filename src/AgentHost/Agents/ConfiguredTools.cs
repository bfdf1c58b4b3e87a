using AgentHost.Core.Tools;

namespace AgentHost.Agents;

/// <summary>
/// Whether this host can carry out a tool: its plugin is configured (Slack, Email, GitHub settings) and
/// registered an executor. The catalog lists every plugin's tools whatever the configuration, so that
/// policies load everywhere; the agent form shows the others disabled, "not configured here".
/// </summary>
public sealed class ConfiguredTools(IEnumerable<IToolExecutor> executors)
{
    private readonly IToolExecutor[] _executors = [.. executors];

    public bool IsConfigured(ToolDescriptor tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return _executors.Any(e => e.Functions.Contains(tool.Name) || e.Handles(tool.Name));
    }
}
