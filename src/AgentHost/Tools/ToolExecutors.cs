using AgentHost.Core.Tools;

namespace AgentHost.Tools;

/// <summary>The executors this host has, by function name. A granted tool without one fails clearly when called.</summary>
public sealed class ToolExecutors(IEnumerable<IToolExecutor> executors)
{
    private readonly IToolExecutor[] _executors = [.. executors];

    private Dictionary<string, IToolExecutor> ByFunction => field ??= _executors
        .SelectMany(e => e.Functions.Select(f => (Function: f, Executor: e)))
        .ToDictionary(x => x.Function, x => x.Executor, StringComparer.Ordinal);

    public Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var executor = ByFunction.GetValueOrDefault(invocation.Function) ?? _executors.FirstOrDefault(e => e.Handles(invocation.Function));
        return executor is not null
            ? executor.ExecuteAsync(invocation, cancellationToken)
            : Task.FromResult(new ToolResult(false, $"{invocation.Function} is not available on this host (its plugin is not configured)"));
    }
}
