using Hangfire;

namespace AgentHost.Runs;

/// <summary>Hands queued runs to Hangfire; the store stays the record of what is queued.</summary>
public sealed class RunDispatcher(IBackgroundJobClient jobs)
{
    public void Enqueue(string runId) => jobs.Enqueue<RunJob>(job => job.ExecuteAsync(runId, CancellationToken.None));
}
