using System.Diagnostics;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// The most events per second a log could make durable if every event paid its own fsync: append a
/// small record and flush it to disk, one at a time, in the directory the audit database lives in.
/// </summary>
public static class FsyncCeiling
{
    public static double Measure(string directory, TimeSpan duration)
    {
        var path = Path.Combine(directory, "fsync-ceiling.bin");
        var record = new byte[256];
        var count = 0;
        var watch = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            while (watch.Elapsed < duration)
            {
                file.Write(record);
                file.Flush(flushToDisk: true);
                count++;
            }
        }

        var rate = count / watch.Elapsed.TotalSeconds;
        File.Delete(path);
        return rate;
    }
}
