using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Postgres;

/// <summary>
/// One web host and two workers on one PostgreSQL database, with Hangfire's PostgreSQL storage between
/// them: the web host only enqueues, the workers execute, approvals given on the web resume runs on
/// whichever worker takes them. No run is lost or executed twice, and the audit chain the three
/// processes wrote together verifies.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private const int Runs = 30;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "agenthost-scale-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingToolExecutor _tools = new();
    private ModelEmulator _model = null!;

    public async Task InitializeAsync()
    {
        _model = await ModelEmulator.StartAsync();

        // Each run proposes one external mail (parks for approval), then ends once the tool answered.
        _model.Respond = request => request["messages"]!.AsArray().Any(m => m?["role"]?.GetValue<string>() == "tool")
            ? new ModelReply.Text("sent")
            : new ModelReply.ToolCalls([new ToolCall("email-send", "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"green\"}", "call_mail")]);
    }

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task WebAndTwoWorkers_RunEverythingOnce_AndTheAuditChainVerifies()
    {
        var database = TestPostgres.Database(Guid.NewGuid().ToString("N"));
        using var web = new RoleHost(_model, _tools, database, "web", _directory);
        using var first = new RoleHost(_model, _tools, database, "worker", _directory) { OwnsData = false };
        using var second = new RoleHost(_model, _tools, database, "worker", _directory) { OwnsData = false };
        _ = first.Services;
        _ = second.Services;
        var alice = web.CreateClientAs("alice@example.com");
        var bob = web.CreateClientAs("bob@example.com");
        var created = await alice.PostAsJsonAsync("/api/agents", new
        {
            name = "Status mailer",
            instructions = "Mail the partner our status.",
            tools = new[] { "email.send" },
            scopes = new Dictionary<string, string[]> { ["email.recipientDomains"] = ["partner.test"] },
            budgets = new { tokensPerRun = 50_000, tokensPerDay = 10_000_000, maxTurns = 5, maxConcurrentRuns = 50 },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var agentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var runIds = new List<string>();
        for (var i = 0; i < Runs; i++)
        {
            var started = await alice.PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = $"status {i}" });
            started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            runIds.Add((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);
        }

        await Task.WhenAll(runIds.Select(id => RunsApi.WaitForAsync(web, id, until: "awaiting_approval")));
        var pending = await bob.GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        foreach (var approval in pending.EnumerateArray())
        {
            (await bob.PostAsJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/decision", new { decision = "approve" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var finished = await Task.WhenAll(runIds.Select(id => RunsApi.WaitForAsync(web, id)));
        var verify = await web.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit/verify");

        pending.GetArrayLength().ShouldBe(Runs);
        finished.ShouldAllBe(run => run.GetProperty("status").GetString() == "succeeded");
        _tools.Calls.Count.ShouldBe(Runs, "each approved mail was sent exactly once");
        _tools.Calls.Select(c => c.RunId).Distinct().Count().ShouldBe(Runs);
        verify.GetProperty("valid").GetBoolean().ShouldBeTrue(verify.ToString());
        verify.GetProperty("count").GetInt64().ShouldBeGreaterThan(Runs * 8);
    }

    [Fact]
    public void SplitRoles_OnSqlite_RefuseToStart()
    {
        using var host = new RoleHost(_model, _tools, $"Data Source={Path.Combine(_directory, "agenthost.db")}", "worker", _directory);

        var error = Should.Throw<InvalidOperationException>(() => host.Services);

        error.Message.ShouldContain("need PostgreSQL");
    }

    private sealed class RoleHost(ModelEmulator model, RecordingToolExecutor tools, string connectionString, string role, string directory) : AgentHostFactory(new Dictionary<string, string?>
    {
        ["ConnectionStrings:AgentHost"] = connectionString,
        ["Role"] = role,
        ["Model:Endpoint"] = model.Endpoint.ToString(),
        ["Model:ApiKey"] = model.ApiKey,
        ["Model:Name"] = "emulated-model",
    }, directory)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<AgentHost.Core.Tools.IToolExecutor>(tools));
        }
    }
}
