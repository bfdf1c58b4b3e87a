using Hangfire;

namespace AgentHost.Runs;

/// <summary>
/// The Hangfire jobs of a run: start it, or resume it after an approval. They take ids, not objects, and
/// running one twice does nothing the second time. Hangfire does not retry them: a failed run is a result.
/// </summary>
public sealed class RunJob(RunExecutor executor)
{
    [AutomaticRetry(Attempts = 0)]
    public Task ExecuteAsync(string runId, CancellationToken cancellationToken) => executor.ExecuteAsync(runId, cancellationToken);

    [AutomaticRetry(Attempts = 0)]
    public Task ResumeAsync(string approvalId, CancellationToken cancellationToken) => executor.ResumeAsync(approvalId, cancellationToken);
}
