using System.Text.Json.Nodes;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using AgentHost.Runs.Conversation;
using AgentHost.Telemetry;

namespace AgentHost.Runs;

/// <summary>
/// How a run ends, whatever ends it: first every call without a final outcome gets one (in flight:
/// outcome_unknown; proposed or parked: cancelled), then the run's status and its run.* event, so the
/// run's last audit event is always its ending.
/// </summary>
public sealed partial class RunEndings(RunStore runs, RunCallEndings calls, IAuditLog audit, RunEvents events, ConversationContent conversation, TimeProvider time, ILogger<RunEndings> logger)
{
    public async Task EndAsync(Run run, RunStatus status, string? output, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);

        // Also when the kill switch ended the run first: its calls are this executor's to close.
        await calls.CloseAsync(run.Id, run.AgentId, $"the run ended {status.ToText()}: {reason ?? "done"}", inFlightToo: true, cancellationToken);
        if (await runs.FinishAsync(run.Id, status, output, reason, cancellationToken))
        {
            var type = status switch
            {
                RunStatus.Succeeded => AuditEventTypes.RunSucceeded,
                RunStatus.Failed => AuditEventTypes.RunFailed,
                _ => AuditEventTypes.RunStopped,
            };
            // The output in full is trail content the event commits to (runs.output is the mutable copy pages read fast).
            var content = output is null ? null : conversation.Output(output);
            var data = new JsonObject { ["reason"] = reason };
            if (content is not null)
            {
                data["output"] = content.Reference();
            }

            await audit.AppendAsync(
                [new AuditEntry(type, AuditActor.Agent(run.AgentId), run.AgentId, run.Id, data)],
                content is null ? null : AuditContentStore.Write([content], time.GetUtcNow()),
                cancellationToken);
            LogEnded(logger, run.Id, status.ToText(), reason ?? "done");
            AgentHostTelemetry.RunEnded(status);
            events.Ended(new RunEnded(run.Id, run.AgentId, reason));
        }
    }

    public async Task BudgetExceededAsync(Run run, string budget, long limit, long used, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.BudgetExceeded, AuditActor.System, run.AgentId, run.Id, new()
        {
            ["budget"] = budget,
            ["limit"] = limit,
            ["used"] = used,
        }), cancellationToken);
        await EndAsync(run, RunStatus.Stopped, null, $"budget exceeded: {budget} ({used} of {limit})", cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ended {Status}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string runId, string status, string reason);
}
