using AgentHost.Core.Audit;
using AgentHost.Core.Notifications;
using AgentHost.Plugins.Slack;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Applies the work of one recorded inbound event (a click, a mention) and marks it handled. Each try is
/// counted in the store before the work starts, so a job that fails, or kills its host, is replayed only
/// until Slack:MaxInboundAttempts; the last failure gives the event up: marked handled with why, audited
/// (inbound.given_up) and logged, never replayed again.
/// </summary>
public sealed partial class InboundWork(InboundEventLog inbound, IAuditLog audit, IOptions<SlackOptions> options, ILogger<InboundWork> logger)
{
    public async Task RunAsync(string source, string eventId, Func<string, CancellationToken, Task> apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apply);
        if (await inbound.BeginAttemptAsync(source, eventId, cancellationToken) is not { } attempt)
        {
            return;
        }

        try
        {
            await apply(attempt.Payload, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var limit = options.Value.MaxInboundAttempts;
            if (attempt.Number < limit)
            {
                LogWillRetry(source, eventId, attempt.Number, limit, ex);
                throw;
            }

            // Only the type: an exception's message may quote what the sender wrote, which stays out of the trail.
            var failure = ex.GetType().Name;
            if (await inbound.MarkFailedAsync(source, eventId, failure, cancellationToken))
            {
                await audit.AppendAsync(new AuditEntry(AuditEventTypes.InboundGivenUp, AuditActor.System, Data: new()
                {
                    ["source"] = source,
                    ["eventId"] = eventId,
                    ["attempts"] = attempt.Number,
                    ["failure"] = failure,
                }), cancellationToken);
                LogGaveUp(source, eventId, attempt.Number, ex);
            }

            return;
        }

        await inbound.MarkHandledAsync(source, eventId, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound {Source} event {EventId} failed on attempt {Attempt} of {Limit}; it is replayed")]
    private partial void LogWillRetry(string source, string eventId, long attempt, int limit, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbound {Source} event {EventId} failed {Attempts} times and is given up")]
    private partial void LogGaveUp(string source, string eventId, long attempts, Exception exception);
}
