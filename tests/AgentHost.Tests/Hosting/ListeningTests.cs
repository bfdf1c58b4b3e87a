using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AgentHost.Hosting;
using AgentHost.Tests.Reliability;

namespace AgentHost.Tests.Hosting;

/// <summary>
/// Where the host listens: the command line, then Urls, then ASPNETCORE_URLS, then appsettings.json
/// (whose Urls used to beat ASPNETCORE_URLS); and a busy port is one line on stderr with a non-zero exit,
/// not a stack trace. The process tests run the built AgentHost.dll as an operator would.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class ListeningTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1001" }, "http://127.0.0.1:1002", "http://127.0.0.1:1003", "http://127.0.0.1:1001")]
    [InlineData(new[] { "--role", "web" }, "http://127.0.0.1:1002", "http://127.0.0.1:1003", "http://127.0.0.1:1002")]
    [InlineData(new[] { "--role", "web" }, null, "http://127.0.0.1:1003", "http://127.0.0.1:1003")]
    [InlineData(new string[0], null, null, null)]
    public void TheCommandLine_ThenUrls_ThenAspNetCoreUrls_WinOverTheFiles(string[] args, string? urls, string? aspNetCoreUrls, string? expected)
    {
        var environment = new Dictionary<string, string?> { ["Urls"] = urls, ["ASPNETCORE_URLS"] = aspNetCoreUrls };

        Listening.Chosen(args, name => environment.GetValueOrDefault(name)).ShouldBe(expected);
    }

    [Fact]
    public async Task ABusyPort_IsOneLineOnStderr_AndANonZeroExit()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exit, stdout, stderr) = await RunToExitAsync(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        exit.ShouldBe(2, stdout + stderr);
        stderr.Trim().ShouldBe(Listening.InUse(port));
        stderr.Trim().Split('\n').Length.ShouldBe(1);
        (stdout + stderr).ShouldNotContain("   at ", customMessage: "no stack trace");
    }

    [Fact]
    public async Task AspNetCoreUrls_IsWhereTheHostListens_ThoughAppsettingsNamesAnotherPort()
    {
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).ShouldContain("\"Urls\"", customMessage: "the file names a port of its own");
        var port = FreePort();
        using var host = Start(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }, out var output);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            var health = await Eventually.ReturnsAsync<string?>(
                async () =>
                {
                    host.HasExited.ShouldBeFalse(output.ToString());
                    try
                    {
                        return await http.GetStringAsync("/healthz");
                    }
                    catch (HttpRequestException)
                    {
                        return null;
                    }
                },
                body => body is not null,
                $"the host answers on port {port}",
                Budget);

            health.ShouldNotBeNull().ShouldContain("ok");
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }

            await host.WaitForExitAsync();
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunToExitAsync(Dictionary<string, string> settings)
    {
        using var process = Start(settings, out var output, separateErrors: true, out var errors);
        using var timeout = new CancellationTokenSource(Budget);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, output.ToString(), errors.ToString());
    }

    private static Process Start(Dictionary<string, string> settings, out System.Text.StringBuilder output) =>
        Start(settings, out output, separateErrors: false, out _);

    private static Process Start(Dictionary<string, string> settings, out System.Text.StringBuilder output, bool separateErrors, out System.Text.StringBuilder errors)
    {
        var data = Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AgentHost.dll"));
        start.Environment.Remove("Urls");
        start.Environment.Remove("URLS");
        start.Environment["ConnectionStrings__AgentHost"] = $"Data Source={Path.Combine(data, "agenthost.db")}";
        start.Environment["Policies__Path"] = Path.Combine(RepositoryRoot.Path, "policies");
        start.Environment["Directory__Path"] = Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml");
        start.Environment["Audit__KeyPath"] = Path.Combine(data, "audit-signing-key.pem");
        start.Environment["Audit__CheckpointFile"] = Path.Combine(data, "checkpoints.log");
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the host did not start");
        var stdout = new System.Text.StringBuilder();
        var stderr = separateErrors ? new System.Text.StringBuilder() : stdout;
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        (output, errors) = (stdout, stderr);
        return process;
    }

    private static void Append(System.Text.StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
