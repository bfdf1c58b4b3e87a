using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// The real rsyslog on loopback (tests/syslog/start-rsyslog.sh): the one test.sh started, shared and told
/// apart by the HOSTNAME each test's host sends, or one of a test's own that it may stop and start again.
/// rsyslog writes "HOSTNAME MSG" per message; MSG is the BOM and the event's JSON. Without rsyslog the
/// tests fail, loudly: they are never skipped.
/// </summary>
public sealed class SyslogReceiver : IAsyncDisposable
{
    private readonly string? _ownDirectory;

    private SyslogReceiver(int port, string file, string? ownDirectory)
    {
        Port = port;
        File = file;
        _ownDirectory = ownDirectory;
    }

    public int Port { get; }

    public string File { get; }

    /// <summary>The receiver test.sh started, for tests that never stop it.</summary>
    public static SyslogReceiver Shared { get; } = new(
        int.Parse(Environment.GetEnvironmentVariable("AGENTHOST_TEST_SYSLOG_PORT")
            ?? throw new InvalidOperationException("AGENTHOST_TEST_SYSLOG_PORT is not set: run the tests with ./test.sh, which starts rsyslog (tests/syslog/start-rsyslog.sh)"), CultureInfo.InvariantCulture),
        Environment.GetEnvironmentVariable("AGENTHOST_TEST_SYSLOG_FILE") ?? throw new InvalidOperationException("AGENTHOST_TEST_SYSLOG_FILE is not set: run the tests with ./test.sh"),
        null);

    /// <summary>A receiver of the test's own, in a folder of its own on a free port, which the test may restart.</summary>
    public static async Task<SyslogReceiver> StartOwnAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "agenthost-syslog-" + Guid.NewGuid().ToString("N")[..12]);
        // Empty, not inherited: the shared receiver's port is in this process's environment.
        var env = await RunAsync("start-rsyslog.sh", new() { ["AGENTHOST_SYSLOG_DIR"] = directory, ["AGENTHOST_TEST_SYSLOG_PORT"] = string.Empty });
        return new SyslogReceiver(int.Parse(env["AGENTHOST_TEST_SYSLOG_PORT"], CultureInfo.InvariantCulture), env["AGENTHOST_TEST_SYSLOG_FILE"], directory);
    }

    /// <summary>Stops the receiver, keeping what it wrote (own receivers only).</summary>
    public Task StopAsync() => RunAsync("stop-rsyslog.sh", new() { ["AGENTHOST_SYSLOG_DIR"] = Own() }, "--keep");

    /// <summary>Starts it again on the same port and folder (own receivers only).</summary>
    public Task StartAgainAsync() => RunAsync("start-rsyslog.sh", new()
    {
        ["AGENTHOST_SYSLOG_DIR"] = Own(),
        ["AGENTHOST_TEST_SYSLOG_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
    });

    /// <summary>How many messages (copies included) arrived from <paramref name="hostName"/>: a cheap look for waiting on many.</summary>
    public int Count(string hostName)
    {
        using var stream = new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var prefix = hostName + " ";
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            count += line.StartsWith(prefix, StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }

    /// <summary>The events received from <paramref name="hostName"/>, in arrival order, copies included.</summary>
    public List<ReceivedEvent> Received(string hostName)
    {
        var received = new List<ReceivedEvent>();
        using var stream = new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // rsyslog may be writing the last line right now: only whole lines count.
        var end = text.LastIndexOf('\n');
        foreach (var line in text[..(end + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith(hostName + " ", StringComparison.Ordinal))
            {
                received.Add(ReceivedEvent.Parse(line[(hostName.Length + 1)..].TrimStart('\uFEFF')));
            }
        }

        return received;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownDirectory is not null)
        {
            await RunAsync("stop-rsyslog.sh", new() { ["AGENTHOST_SYSLOG_DIR"] = _ownDirectory });
        }
    }

    private string Own() => _ownDirectory ?? throw new InvalidOperationException("the shared receiver is test.sh's: tests never stop it");

    private static async Task<Dictionary<string, string>> RunAsync(string script, Dictionary<string, string> environment, string? argument = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "tests", "syslog", script));
        if (argument is not null)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {await errors}");
        }

        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }
}

/// <summary>One event as a receiver got it: the JSON the stream sends.</summary>
public sealed record ReceivedEvent(long Seq, string LeafHash, string Type, string Json)
{
    public static ReceivedEvent Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ReceivedEvent(root.GetProperty("seq").GetInt64(), root.GetProperty("leafHash").GetString()!, root.GetProperty("type").GetString()!, json);
    }
}
