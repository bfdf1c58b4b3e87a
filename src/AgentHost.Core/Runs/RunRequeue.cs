using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>
/// Puts a running run whose executor is gone back in the queue, but only while none of its tool calls is
/// in flight: a call that may have had its effect is never made twice, so such a run ends as before
/// (outcome_unknown). The check and the move are one statement, so two survivors cannot both win. A run
/// re-queued <see cref="MaxRequeues"/> times is not again: whatever kills its workers would kill the next.
/// </summary>
public sealed class RunRequeue(StoreDatabase database)
{
    public const int MaxRequeues = 3;

    public async Task<bool> TryRequeueAsync(string runId, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE runs SET status = @queued, lease_owner = NULL, lease_until = NULL, requeues = requeues + 1 "
                + "WHERE id = @runId AND status = @running AND requeues < @max AND NOT EXISTS (SELECT 1 FROM run_tool_calls WHERE run_id = @runId AND outcome = @requested)",
            new { runId, max = MaxRequeues, queued = RunStatus.Queued.ToText(), running = RunStatus.Running.ToText(), requested = ToolCallOutcome.Requested.ToText() },
            cancellationToken) == 1;
}
