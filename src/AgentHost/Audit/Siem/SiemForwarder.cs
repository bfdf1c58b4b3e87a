using AgentHost.Core.Audit;
using AgentHost.Core.Redaction;
using AgentHost.Telemetry;

namespace AgentHost.Audit.Siem;

/// <summary>
/// Forwards the trail to one destination: holds the destination's lease, reads the events after its
/// cursor in batches (it only reads, so a slow or dead receiver never holds up an append), sends them,
/// and moves the cursor once the sender confirms them. A failure rewinds to the cursor and tries again
/// after a capped exponential backoff: events may arrive twice, never not at all; the receiver tells
/// copies apart by seq.
/// </summary>
public sealed partial class SiemForwarder(
    SiemDestinationOptions destination,
    ISiemSender sender,
    SiemStreamOptions options,
    SiemCursorStore cursors,
    AuditReader reader,
    SecretRedactor redactor,
    TimeProvider time,
    string owner,
    ILogger logger)
{
    private string Name => destination.Name;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var now = time.GetUtcNow();
                    if (await cursors.TryLeaseAsync(Name, owner, now, now + options.LeaseDuration, stoppingToken) is not { } cursor)
                    {
                        // Another worker forwards to this destination; take over if its lease runs out.
                        await Task.Delay(options.LeaseDuration / 3, time, stoppingToken);
                        continue;
                    }

                    await ForwardAsync(cursor, () => failures = 0, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    await FailedAsync(ex, failures, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was confirmed is in the cursor; the rest is sent again by whoever forwards next.
        }
        finally
        {
            await ReleaseAsync();
        }
    }

    /// <summary>Capped exponential: InitialBackoff, doubled per consecutive failure, at most MaxBackoff.</summary>
    public static TimeSpan Backoff(SiemStreamOptions options, int failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(options.InitialBackoff.Ticks * factor, options.MaxBackoff.Ticks));
    }

    /// <summary>Sends until the lease is lost (returns) or a send or the store fails (throws).</summary>
    private async Task ForwardAsync(long cursor, Action progressed, CancellationToken cancellationToken)
    {
        var committed = cursor;
        var sent = cursor;
        var renewed = time.GetUtcNow();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            if (sent > committed)
            {
                if (!sender.ConfirmSent())
                {
                    // The receiver dropped the connection the last batch went over: it may not have kept it.
                    LogResending(logger, Name, committed + 1, sent);
                    sent = committed;
                }
                else if (!await cursors.AdvanceAsync(Name, owner, sent, now, now + options.LeaseDuration, cancellationToken))
                {
                    LogLeaseLost(logger, Name);
                    return;
                }
                else
                {
                    committed = sent;
                    renewed = now;
                    progressed();
                }
            }

            var batch = await ReadAsync(sent, cancellationToken);
            if (batch.Count == 0)
            {
                AgentHostTelemetry.SiemLag(Name, sent - committed);
                if (now - renewed > options.LeaseDuration / 3)
                {
                    if (!await cursors.AdvanceAsync(Name, owner, committed, now, now + options.LeaseDuration, cancellationToken))
                    {
                        LogLeaseLost(logger, Name);
                        return;
                    }

                    renewed = now;
                }

                await Task.Delay(options.PollInterval, time, cancellationToken);
                continue;
            }

            await sender.SendAsync(batch, cancellationToken);
            sent = batch[^1].Sequence;
            AgentHostTelemetry.SiemForwarded(Name, batch.Count);
            AgentHostTelemetry.SiemLag(Name, batch.Count < options.BatchSize ? 0 : Math.Max(0, await cursors.HeadAsync(cancellationToken) - sent));
        }
    }

    private async Task<List<AuditEvent>> ReadAsync(long after, CancellationToken cancellationToken)
    {
        var batch = new List<AuditEvent>(Math.Min(options.BatchSize, 1024));
        await foreach (var e in reader.StreamAsync(new AuditFilter(), after, options.BatchSize, cancellationToken))
        {
            batch.Add(e);
        }

        return batch;
    }

    private async Task FailedAsync(Exception ex, int failures, CancellationToken cancellationToken)
    {
        var delay = Backoff(options, failures);

        // The error's own words, redacted: settings (a secret, a webhook's query string) are never part of it.
        var error = redactor.Redact($"{ex.GetType().Name}: {ex.Message}");
        AgentHostTelemetry.SiemError(Name);
        LogSendFailed(logger, Name, error, failures, delay);
        try
        {
            await cursors.RecordErrorAsync(Name, error, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception storeFailure) when (storeFailure is not OperationCanceledException)
        {
            LogErrorNotRecorded(logger, Name, storeFailure.GetType().Name);
        }

        await Task.Delay(delay, time, cancellationToken);
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await cursors.ReleaseAsync(Name, owner, limit.Token);
        }
        catch (Exception ex)
        {
            // The lease then runs out by itself.
            LogErrorNotRecorded(logger, Name, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIEM destination {Destination}: send failed ({Error}), attempt {Failures}; trying again in {Delay}")]
    private static partial void LogSendFailed(ILogger logger, string destination, string error, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIEM destination {Destination}: the receiver closed the connection; sending events {From} to {To} again")]
    private static partial void LogResending(ILogger logger, string destination, long from, long to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIEM destination {Destination}: another worker holds the lease now; stopping here")]
    private static partial void LogLeaseLost(ILogger logger, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIEM destination {Destination}: could not update its row in the store ({Error})")]
    private static partial void LogErrorNotRecorded(ILogger logger, string destination, string error);
}
