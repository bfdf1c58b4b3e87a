using AgentHost.Core.Audit;
using AgentHost.Core.Runs;

namespace AgentHost.Runs;

/// <summary>
/// Ends runs whose executor is gone (a restarted host, a worker whose lease ran out) as failed, with
/// every tool call that was requested but never finished marked outcome_unknown for a person to check.
/// Nothing is repeated blindly: a call that may have had its effect is never made twice.
/// </summary>
public sealed class InterruptedRuns(RunStore runs, RunCallEndings calls, IAuditLog audit)
{
    public async Task<int> RecoverAsync(bool soleProcess, CancellationToken cancellationToken)
    {
        var recovered = 0;
        foreach (var runId in await runs.InterruptedAsync(soleProcess, cancellationToken))
        {
            var run = (await runs.GetAsync(runId, cancellationToken))!;
            var reason = soleProcess ? "interrupted by a host restart" : "its worker stopped renewing its lease (crashed or cut off)";
            await calls.CloseAsync(runId, run.AgentId, "the executor stopped while this call was in flight; check its effect", inFlightToo: true, cancellationToken);
            if (await runs.FinishAsync(runId, RunStatus.Failed, null, reason, cancellationToken))
            {
                await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunFailed, AuditActor.System, run.AgentId, runId, new() { ["reason"] = reason }), cancellationToken);
                recovered++;
            }
        }

        return recovered;
    }
}
