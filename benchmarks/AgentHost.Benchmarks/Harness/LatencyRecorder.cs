using System.Diagnostics;

namespace AgentHost.Benchmarks.Harness;

/// <summary>Per-operation latencies from Stopwatch ticks, for the percentiles BenchmarkDotNet does not report.</summary>
public sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private int _count;

    public int Count => _count;

    public void Record(long elapsedTicks)
    {
        var slot = Interlocked.Increment(ref _count) - 1;
        if (slot < _ticks.Length)
        {
            _ticks[slot] = elapsedTicks;
        }
    }

    public double PercentileMicroseconds(double percentile)
    {
        var n = Math.Min(_count, _ticks.Length);
        if (n == 0)
        {
            return double.NaN;
        }

        var sorted = _ticks.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        var index = (int)Math.Ceiling(percentile / 100.0 * n) - 1;
        return sorted[Math.Clamp(index, 0, n - 1)] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
