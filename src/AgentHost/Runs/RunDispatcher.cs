using Hangfire;

namespace AgentHost.Runs;

/// <summary>Hands work to Hangfire; the store stays the record of what is queued, parked and due.</summary>
public sealed class RunDispatcher(IBackgroundJobClient jobs)
{
    public void Enqueue(string runId) => jobs.Enqueue<RunJob>(job => job.ExecuteAsync(runId, CancellationToken.None));

    public void Resume(string approvalId) => jobs.Enqueue<RunJob>(job => job.ResumeAsync(approvalId, CancellationToken.None));
}
