using System.Diagnostics;

namespace AgentHost.Tests.Reliability;

/// <summary>
/// A real `AgentHost --role worker` process, built with the tests, configured through environment
/// variables as an operator would, and killed the hard way (SIGKILL): no shutdown hook, no flush.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> settings, string logFile)
    {
        var directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
        };

        // exec: the shell becomes dotnet, so the kill reaches the host itself, not a wrapper.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet \"{Path.Combine(directory, "AgentHost.dll")}\" --role worker >>\"{logFile}\" 2>&1");
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("the worker process did not start"));
    }

    /// <summary>SIGKILL, and wait until the kernel has reaped it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
