using AgentHost.Core.Tools;

namespace AgentHost.Tests.Tools;

/// <summary>A tool source whose one tool an admin can make unavailable while the host runs, as an MCP server's can.</summary>
public sealed class SwitchableToolSource(ToolDescriptor tool) : IToolSource
{
    private volatile ToolDescriptor _tool = tool;

    public IReadOnlyCollection<ToolDescriptor> Tools => [_tool];

    public event EventHandler? Changed;

    public void MakeUnavailable(string reason)
    {
        _tool = _tool with { Unavailable = reason };
        Changed?.Invoke(this, EventArgs.Empty);
    }
}

/// <summary>Records the calls of the source's tool that reached execution.</summary>
public sealed class PendingToolExecutor(string function) : IToolExecutor
{
    public List<ToolInvocation> Calls { get; } = [];

    public IReadOnlyCollection<string> Functions { get; } = [function];

    public Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(invocation);
        }

        return Task.FromResult(new ToolResult(true, "opened"));
    }
}
