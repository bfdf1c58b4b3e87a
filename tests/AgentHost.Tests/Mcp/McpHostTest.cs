using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Mcp;
using AgentHost.McpTestServer;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Mcp;

/// <summary>
/// The host with the test MCP server (tests/AgentHost.McpTestServer) started over stdio as server "tests",
/// the repository's policies copied to a folder the test may add rules to, the model emulator and a
/// recording double for the built-in plugins. The echo tool's description is read from a file the test owns.
/// </summary>
public abstract class McpHostTest : IAsyncLifetime
{
    /// <summary>Set in this process's environment: a stdio server that inherited it would list it.</summary>
    public const string CanaryVariable = "AGENTHOST_MCP_TEST_CANARY_SECRET";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agenthost-mcp-tests", Guid.NewGuid().ToString("N"));

    static McpHostTest() => Environment.SetEnvironmentVariable(CanaryVariable, "xoxb-canary-never-inherited");

    protected RecordingToolExecutor Tools { get; } = new();

    protected ModelEmulator Model { get; private set; } = null!;

    protected RunHostFactory Host { get; private set; } = null!;

    protected string DescriptionFile => Path.Combine(_folder, "echo-description.txt");

    protected string PolicyFolder => Path.Combine(_folder, "policies");

    public static string TestServerDll { get; } = Path.Combine(
        RepositoryRoot.Path, "tests", "AgentHost.McpTestServer", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "AgentHost.McpTestServer.dll");

    public static string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : Environment.ProcessPath!;

    /// <summary>The host's clock; null for the system's.</summary>
    protected virtual TimeProvider? Clock => null;

    /// <summary>A policy file added to the copy of the repository's policies before the host starts.</summary>
    protected virtual string? ExtraPolicy => null;

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(PolicyFolder);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "policies"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(PolicyFolder, Path.GetFileName(file)));
        }

        if (ExtraPolicy is { } policy)
        {
            await File.WriteAllTextAsync(Path.Combine(PolicyFolder, "mcp.yaml"), policy);
        }

        File.Exists(TestServerDll).ShouldBeTrue($"the test MCP server is built with the tests: {TestServerDll}");
        Model = await ModelEmulator.StartAsync();
        Host = new RunHostFactory(Model, Tools, time: Clock, settings: Settings());
    }

    protected virtual Dictionary<string, string?> Settings() => new()
    {
        ["Policies:Path"] = PolicyFolder,
        ["Mcp:Servers:tests:Command"] = Dotnet,
        ["Mcp:Servers:tests:Arguments:0"] = TestServerDll,
        ["Mcp:Servers:tests:Environment:" + TestTools.DescriptionFileVariable] = DescriptionFile,
    };

    public virtual async Task DisposeAsync()
    {
        Host.Dispose();
        await Model.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    protected McpServers Servers => Host.Services.GetRequiredService<McpServers>();

    protected async Task<JsonElement> ServerAsync(string name = "tests")
    {
        var servers = await Host.CreateClientAs("root@example.com").GetFromJsonAsync<JsonElement>("/api/mcp/servers");
        return servers.EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
    }

    /// <summary>The tools the admin was shown, by catalog name, with the hashes to approve.</summary>
    protected static Dictionary<string, string> Shown(JsonElement server) =>
        server.GetProperty("tools").EnumerateArray()
            .Where(t => t.GetProperty("hash").ValueKind == JsonValueKind.String && t.GetProperty("name").ValueKind == JsonValueKind.String)
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("hash").GetString()!);

    protected async Task<HttpResponseMessage> ApproveAsync(string approver, IReadOnlyDictionary<string, string> tools, string server = "tests") =>
        await Host.CreateClientAs(approver).PostAsJsonAsync($"/api/mcp/servers/{server}/approve", new { tools });

    protected async Task ApproveAllAsync(string server = "tests")
    {
        var response = await ApproveAsync("root@example.com", Shown(await ServerAsync(server)), server);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    protected async Task<string> CreateAgentAsync(params string[] tools)
    {
        var response = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Ticket helper",
            instructions = "Read tickets and answer.",
            tools,
            scopes = tools.Any(t => t.StartsWith("slack.", StringComparison.Ordinal)) ? new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] } : [],
            budgets = new { tokensPerRun = 50_000, tokensPerDay = 1_000_000, maxTurns = 5, maxConcurrentRuns = 2 },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    protected static JsonElement Call(JsonElement run, string modelCallId) =>
        run.GetProperty("toolCalls").EnumerateArray().Single(c => c.GetProperty("modelCallId").GetString() == modelCallId);

    protected async Task<List<JsonElement>> AuditAsync(string type)
    {
        var page = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type={type}");
        return [.. page.GetProperty("events").EnumerateArray()];
    }
}
