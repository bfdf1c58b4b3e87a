using Hangfire;

namespace AgentHost.Runs;

/// <summary>
/// The Hangfire job: one per run, driving it until it ends or parks. It takes an id, not an object, and
/// running it twice does nothing the second time. Hangfire does not retry it: a failed run is a result.
/// </summary>
public sealed class RunJob(RunExecutor executor)
{
    [AutomaticRetry(Attempts = 0)]
    public Task ExecuteAsync(string runId, CancellationToken cancellationToken) => executor.ExecuteAsync(runId, cancellationToken);
}
