using AgentHost.Core.Tools;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// A plugin double whose first call stays in flight until the test releases it (or the run's token is
/// cancelled): for what happens to a call when the wall-time limit or the kill switch hits mid-call.
/// </summary>
public sealed class BlockingToolExecutor : IToolExecutor
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ToolResult> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public IReadOnlyCollection<string> Functions { get; } = TestCatalog.Standard.All.Select(t => t.Name).ToList();

    /// <summary>Completes when the first call reached the plugin.</summary>
    public Task Entered => _entered.Task;

    public int Calls => Volatile.Read(ref _calls);

    public void Release(ToolResult result) => _release.TrySetResult(result);

    public async Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) > 1)
        {
            return new ToolResult(true, $"{invocation.Function} done");
        }

        _entered.TrySetResult();
        return await _release.Task.WaitAsync(cancellationToken);
    }
}
