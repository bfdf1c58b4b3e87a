using System.Collections.Concurrent;
using System.ComponentModel;
using AgentHost.Core.Tools;
using Microsoft.SemanticKernel;

namespace AgentHost.Tests.Tools;

/// <summary>
/// A plugin written the way docs/plugins.md says, from the test project alone: one sealed class of
/// [KernelFunction] methods and one descriptor. Nothing in Core or the host names it.
/// </summary>
public sealed class StatusTools
{
    public ConcurrentQueue<string> Checked { get; } = new();

    [KernelFunction("check"), Description("Check a service's status page.")]
    [ToolGate(ToolEffect.Read, ToolReach.Internal, UntrustedResult = true)]
    public Task<ToolResult> CheckAsync(
        [Description("the service's host name, such as status.example.com"), GateArgument(ArgumentKind.Domain, Sink = true)] string? host = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = ToolText.Required(host, "host");
        Checked.Enqueue(name);
        return Task.FromResult(new ToolResult(true, $"{name}: all systems operational"));
    }

    public static ToolPluginDescriptor Descriptor { get; } = new("status",
    [
        new ScopeDescriptor("status.hosts", "status", "Status hosts", "host names, e.g. status.example.com", ArgumentKind.Domain),
    ]);
}
