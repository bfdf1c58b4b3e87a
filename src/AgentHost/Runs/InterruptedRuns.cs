using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using Microsoft.SemanticKernel;

namespace AgentHost.Runs;

/// <summary>
/// Recovers runs whose executor is gone (a restarted host, a worker whose lease ran out). A run with no
/// tool call in flight, and whose stored history holds the result of every call it decided, lost nothing
/// but time: it is queued again and goes on from that history.
/// A run with a call in flight ends as failed, that call marked outcome_unknown for a person to check:
/// nothing is repeated blindly, a call that may have had its effect is never made twice.
/// </summary>
public sealed class InterruptedRuns(RunStore runs, RunCallEndings calls, RunDispatcher dispatcher, StoreDatabase database, IAuditLog audit, TimeProvider time)
{
    /// <summary>How far back calls are looked at by the periodic sweep; start-up looks further.</summary>
    public static readonly TimeSpan RecentCalls = TimeSpan.FromHours(1);

    private readonly RunRequeue _requeue = new(database);

    /// <summary>Recovers the runs of dead executors; returns how many were re-queued or ended.</summary>
    public async Task<int> RecoverAsync(bool soleProcess, CancellationToken cancellationToken, TimeSpan? lookBack = null)
    {
        var recovered = 0;
        foreach (var runId in await runs.InterruptedAsync(soleProcess, cancellationToken))
        {
            var run = (await runs.GetAsync(runId, cancellationToken))!;
            var reason = soleProcess ? "interrupted by a host restart" : "its worker stopped renewing its lease (crashed or cut off)";
            if (await HistoryAnswersEveryDecidedCallAsync(runId, cancellationToken) && await _requeue.TryRequeueAsync(runId, cancellationToken))
            {
                await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunQueued, AuditActor.System, run.AgentId, runId, new()
                {
                    ["reason"] = reason + "; no tool call was in flight, so the run goes on",
                    ["requeued"] = true,
                }), cancellationToken);
                dispatcher.Enqueue(runId);
                recovered++;
                continue;
            }

            await calls.CloseAsync(runId, run.AgentId, "the executor stopped while this call was in flight; check its effect", inFlightToo: true, cancellationToken);
            if (await runs.FinishAsync(runId, RunStatus.Failed, null, reason, cancellationToken))
            {
                await audit.AppendAsync(new AuditEntry(AuditEventTypes.RunFailed, AuditActor.System, run.AgentId, runId, new() { ["reason"] = reason }), cancellationToken);
                recovered++;
            }
        }

        // The kill switch ends a run without waiting for the call in flight: its executor records the real
        // outcome. If that executor died too, nobody will, so the call becomes outcome_unknown here.
        foreach (var ended in await runs.EndedWithCallsInFlightAsync(soleProcess, time.GetUtcNow() - (lookBack ?? RecentCalls), cancellationToken))
        {
            await calls.CloseAsync(ended.Id, ended.AgentId, "the run had ended and the executor of this call stopped before recording its outcome", inFlightToo: true, cancellationToken);
        }

        return recovered;
    }

    /// <summary>
    /// A call decided (parked, executed, denied...) whose result never reached the stored history would be
    /// put to the gate again by the re-queued run: an executed one could run twice, a parked one would find
    /// its approval already used and wait forever. Such a run is not re-queued; it ends as before.
    /// </summary>
    private async Task<bool> HistoryAnswersEveryDecidedCallAsync(string runId, CancellationToken cancellationToken)
    {
        var history = ChatHistoryJson.Deserialize(await runs.HistoryAsync(runId, cancellationToken) ?? "[]") ?? [];
        var answered = history.SelectMany(m => m.Items.OfType<FunctionResultContent>()).Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        return (await runs.ToolCallsAsync(runId, cancellationToken)).All(c => c.Outcome == ToolCallOutcome.Proposed || answered.Contains(c.CallId));
    }
}
