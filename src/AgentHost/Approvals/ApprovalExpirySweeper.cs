using System.Threading.Channels;
using AgentHost.Core.Approvals;

namespace AgentHost.Approvals;

/// <summary>
/// Reminds and expires (or escalates) approvals by asking the store when the next one is due and sleeping until then (at most
/// <see cref="MaxSleep"/>). There is no timer or job per approval, so parked runs cost no memory here
/// and a restart has nothing to re-arm; idle, it issues one small indexed query per <see cref="MaxSleep"/>.
/// A vote after the deadline is refused by the store whether or not the sweep has run.
/// </summary>
/// <remarks>
/// The sleep is a timer of the host's <see cref="TimeProvider"/>, computed from a clock read before the
/// store query: if the clock jumps in between, the timer is armed after the jump and waits its full
/// length. <see cref="Wake"/> makes the next sweep happen now; a wake during a sweep is kept, not lost,
/// so whoever moved the clock (a test's FakeTimeProvider) can await a sweep that saw the new time.
/// </remarks>
public sealed partial class ApprovalExpirySweeper(ApprovalStore approvals, ApprovalExpiry expiry, TimeProvider time, ILogger<ApprovalExpirySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);
    private const int Batch = 500;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private TaskCompletionSource? _woken;

    /// <summary>
    /// Sweeps now instead of when the current sleep ends. The task completes when a sweep that started
    /// after this call has finished, so it has seen the clock as it was when <see cref="Wake"/> was called.
    /// </summary>
    public Task Wake()
    {
        Task swept;
        lock (_gate)
        {
            _woken ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            swept = _woken.Task;
        }

        _wake.Writer.TryWrite(true);
        return swept;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TaskCompletionSource? wakers;
            lock (_gate)
            {
                (wakers, _woken) = (_woken, null);
            }

            TimeSpan sleep;
            try
            {
                sleep = await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
                sleep = MaxSleep;
            }

            wakers?.TrySetResult();
            if (sleep > TimeSpan.Zero)
            {
                await SleepAsync(sleep, stoppingToken);
            }
        }
    }

    /// <summary>Sends the reminders and expires (or escalates) what is due; says how long until the next deadline.</summary>
    internal async Task<TimeSpan> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = await approvals.NextExpiryAsync(cancellationToken);
        if (next is null || next > now)
        {
            return next is null ? MaxSleep : TimeSpan.FromTicks(Math.Min((next.Value - now).Ticks, MaxSleep.Ticks));
        }

        // Deadlines first: an approval whose reminder and deadline both passed while the host was down is
        // not reminded about a deadline that is gone (expired, it is no longer pending; escalated, its
        // fallback group's reminder is due later).
        var due = await approvals.DueAsync(now, Batch, cancellationToken);
        foreach (var id in due)
        {
            await expiry.ExpireAsync(id, cancellationToken);
        }

        var reminders = await approvals.RemindersDueAsync(now, Batch, cancellationToken);
        foreach (var id in reminders)
        {
            await expiry.RemindAsync(id, cancellationToken);
        }

        return due.Count == Batch || reminders.Count == Batch ? TimeSpan.Zero : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>Until the timer fires or someone wakes the sweeper, whichever comes first.</summary>
    private async Task SleepAsync(TimeSpan sleep, CancellationToken stoppingToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(sleep, time, done.Token);
        var woken = _wake.Reader.WaitToReadAsync(done.Token).AsTask();
        await Task.WhenAny(timer, woken);
        _wake.Reader.TryRead(out _);
        await done.CancelAsync();
        await Task.WhenAll(timer, woken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Approval expiry sweep failed; trying again shortly")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
