using System.Diagnostics;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// A profiler attached to a host process for the timed part of a harness only (not start-up, not
/// warm-up): `AGENTHOST_BENCH_PROFILE` is a command line with `{pid}` for the process and `{label}` for
/// the row (e.g. `sqlite-64`, `pg-1-workers-64`), e.g.
/// `dotnet-trace collect -p {pid} --profile dotnet-sampled-thread-time -o {label}.nettrace` or
/// `perf record -F 499 -g -p {pid} -o {label}.perf.data`. It is stopped with SIGINT, as Ctrl+C would.
/// </summary>
public sealed class ProfilerAttachment : IAsyncDisposable
{
    private readonly Process? _profiler;

    private ProfilerAttachment(Process? profiler) => _profiler = profiler;

    public static async Task<ProfilerAttachment> AttachAsync(int processId, string label, TextWriter log)
    {
        if (Environment.GetEnvironmentVariable("AGENTHOST_BENCH_PROFILE") is not { Length: > 0 } command)
        {
            return new ProfilerAttachment(null);
        }

        var words = command
            .Replace("{pid}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{label}", label, StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(words[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        var profiler = Process.Start(start)!;
        profiler.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.WriteLine($"[profiler] {e.Data}"); } };
        profiler.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.WriteLine($"[profiler] {e.Data}"); } };
        profiler.BeginOutputReadLine();
        profiler.BeginErrorReadLine();

        // The session takes a moment to start; samples before the timed part would only dilute the profile.
        await Task.Delay(TimeSpan.FromSeconds(3));
        return new ProfilerAttachment(profiler);
    }

    public async ValueTask DisposeAsync()
    {
        if (_profiler is null)
        {
            return;
        }

        using (var interrupt = Process.Start("kill", ["-INT", _profiler.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _profiler.WaitForExitAsync(timeout.Token);
        _profiler.Dispose();
    }
}
