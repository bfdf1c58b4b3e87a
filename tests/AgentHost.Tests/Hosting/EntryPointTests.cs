using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AgentHost.Tests.Postgres;
using AgentHost.Tests.Reliability;
using YamlDotNet.RepresentationModel;

namespace AgentHost.Tests.Hosting;

/// <summary>
/// The image's entry point (the Dockerfile's ENTRYPOINT with each compose service's command) starts the
/// host in every role against PostgreSQL: the built AgentHost.dll is run as a process with the same
/// arguments, configured through the compose file's variables, and must answer /readyz.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class EntryPointTests
{
    private static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TheEntryPoint_StartsTheHostInEveryComposeRole_AgainstPostgres()
    {
        var entryPoint = Dockerfile("ENTRYPOINT");
        entryPoint.ShouldBe(["dotnet", "AgentHost.dll"]);
        var data = Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var connection = TestPostgres.Database(Path.GetFileName(data));
        var ownerFile = Path.Combine(data, "owner_connection_string");
        await File.WriteAllTextAsync(ownerFile, connection + "\n");

        // The web service migrates first (compose: the workers depend on it being healthy).
        var services = ComposeFileTests.HostServices().OrderBy(s => s.Name == "web" ? 0 : 1).ToList();
        var started = new List<(string Role, Process Process, string Log)>();
        try
        {
            foreach (var (name, service) in services)
            {
                var command = ((YamlSequenceNode)service["command"]).Children.Select(c => c.ToString()).ToList();
                var compose = ComposeFileTests.Environment(service).ToDictionary(e => e.Name, e => e.Value);
                var port = FreePort();
                var settings = new Dictionary<string, string>
                {
                    ["Urls"] = $"http://127.0.0.1:{port}",
                    ["Policies__Path"] = Path.Combine(RepositoryRoot.Path, "policies"),
                    ["Directory__Path"] = Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml"),
                    ["Audit__KeyPath"] = Path.Combine(data, "audit-signing-key.pem"),
                    ["Audit__CheckpointFile"] = Path.Combine(data, "checkpoints.log"),
                    ["Auth__Mode"] = "Development",
                    ["ConnectionStrings__AgentHost"] = connection,
                };

                // As compose says per service; the test PostgreSQL has one login role, so it is both app and owner
                // (Store__AppRole needs a role only a superuser can create: left out here).
                if (compose.ContainsKey("ConnectionStrings__AgentHostOwner_FILE"))
                {
                    settings["ConnectionStrings__AgentHostOwner_FILE"] = ownerFile;
                }

                if (compose.TryGetValue("Store__Migrate", out var migrate))
                {
                    settings["Store__Migrate"] = migrate;
                }

                var log = Path.Combine(data, name + ".log");
                started.Add((name, Start(entryPoint, command, settings, log), log));
                await ReadyAsync(name, port, started[^1].Process, log);
            }
        }
        finally
        {
            foreach (var (_, process, _) in started)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                await process.WaitForExitAsync();
                process.Dispose();
            }
        }

        started.Select(s => s.Role).ShouldBe(["web", "worker1", "worker2"]);
    }

    /// <summary>An exec-form instruction of the Dockerfile (a JSON array).</summary>
    private static string[] Dockerfile(string instruction)
    {
        var line = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "Dockerfile")).Single(l => l.StartsWith(instruction + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(instruction.Length + 1)..])!;
    }

    private static Process Start(string[] entryPoint, List<string> command, Dictionary<string, string> settings, string log)
    {
        // WORKDIR /app holds AgentHost.dll in the image; here the test's output folder does.
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false };
        var arguments = string.Join(' ', entryPoint.Concat(command).Select(a => $"'{a}'"));
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec {arguments} >>\"{log}\" 2>&1");
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the host process did not start");
    }

    private static async Task ReadyAsync(string role, int port, Process process, string log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartBudget)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{role} exited with {process.ExitCode}:\n{await File.ReadAllTextAsync(log)}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(200)).Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        throw new TimeoutException($"{role} did not answer /readyz within {StartBudget.TotalSeconds} s:\n{await File.ReadAllTextAsync(log)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
