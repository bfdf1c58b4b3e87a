using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Tools;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Infrastructure;
using AgentHost.Tests.Web;
using AgentHost.Tools;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Tools;

/// <summary>
/// A plugin from the test project, registered with AddToolPlugin like the built-in ones, reaches the
/// catalog, the agent form, the what-if evaluator and the gate without any change to Core or the host.
/// </summary>
public sealed class SamplePluginTests : IAsyncLifetime
{
    private readonly StatusTools _status = new();
    private ModelEmulator _model = null!;

    public async Task InitializeAsync() => _model = await ModelEmulator.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task ThePlugin_IsInTheCatalog_OnTheAgentForm_AndInTheWhatIf()
    {
        using var host = new StatusHost(_model, _status);

        var catalog = host.Services.GetRequiredService<ToolCatalog>();
        catalog.TryGet("status.check", out var tool).ShouldBeTrue();
        (tool.Effect, tool.Reach, tool.Sinks.Single(), tool.KindOf("host"), tool.UntrustedResult).ShouldBe((ToolEffect.Read, ToolReach.Internal, "host", ArgumentKind.Domain, true));
        tool.ArgumentDescriptions["host"].ShouldContain("host name");
        catalog.TryGetScope("status.hosts", out var scope).ShouldBeTrue();
        scope.Plugin.ShouldBe("status");

        using var alice = new PageClient(host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");
        form.QuerySelector("#tool-status-check").ShouldNotBeNull();
        form.QuerySelector("label[for=scope-status-hosts]")!.TextContent.ShouldContain("Status hosts");
        form.QuerySelector("input[name='Form.Scopes[status.hosts]']").ShouldNotBeNull();

        var client = host.CreateClientAs("alice@example.com");
        var denied = await EvaluateAsync(client, "STATUS.Example.com.", "status.example.com");
        denied.GetProperty("decision").GetString().ShouldBe("deny");
        denied.GetProperty("rules")[0].GetString().ShouldBe("default-deny");
        var unknownScope = await client.PostAsJsonAsync("/api/policy/evaluate", Request("status.example.com", "status.nope"));
        unknownScope.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknownScope.Content.ReadAsStringAsync()).ShouldContain("status.hosts");
    }

    [Fact]
    public async Task AnAgent_CanBeGrantedIt_AndTheGateDecidesIt_ByDefaultDenied_AllowedByARule_ThenExecuted()
    {
        var data = Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"));
        using var host = new StatusHost(_model, _status, data, StatusPolicies(data)) { OwnsData = true };
        var client = host.CreateClientAs("alice@example.com");
        (await EvaluateAsync(client, "STATUS.Example.com.", "status.example.com")).GetProperty("rules")[0].GetString().ShouldBe("status-check-granted-hosts");

        var agent = await CreateAgentAsync(host);
        _model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("status-check", "{\"host\":\"status.other.test\"}", "call_other")]),
            new ModelReply.ToolCalls([new ToolCall("status-check", "{\"host\":\"STATUS.Example.com.\"}", "call_granted")]),
            new ModelReply.Text("All green."));

        var run = await RunsApi.RunToEndAsync(host, agent, "Is the service up?");

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var calls = run.GetProperty("toolCalls").EnumerateArray().ToList();
        calls.Select(c => c.GetProperty("outcome").GetString()).ShouldBe(["denied", "executed"]);
        calls[0].GetProperty("rules")[0].GetString().ShouldBe("default-deny");
        calls[1].GetProperty("rules")[0].GetString().ShouldBe("status-check-granted-hosts");
        _status.Checked.ShouldBe(["status.example.com"]); // the gated, normalised value, and only the allowed call
        var offered = _model.Requests.First()["tools"]!.AsArray().Select(t => t!["function"]!).Single(f => f["name"]!.GetValue<string>() == "status-check");
        offered["description"]!.GetValue<string>().ShouldBe("Check a service's status page.");
        offered["parameters"]!["properties"]!["host"]!["description"]!.GetValue<string>().ShouldContain("host name");
        var toolMessage = _model.Requests.Last()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
        toolMessage.ShouldContain("\"untrusted\":true");
    }

    [Fact]
    public async Task WithTheShippedPolicies_ACallIsDeniedByDefault_AndNeverExecuted()
    {
        using var host = new StatusHost(_model, _status);
        var agent = await CreateAgentAsync(host);
        _model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("status-check", "{\"host\":\"status.example.com\"}")]),
            new ModelReply.Text("I may not check it."));

        var run = await RunsApi.RunToEndAsync(host, agent, "Is the service up?");

        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("denied");
        run.GetProperty("toolCalls")[0].GetProperty("rules")[0].GetString().ShouldBe("default-deny");
        _status.Checked.ShouldBeEmpty();
    }

    /// <summary>
    /// The owner grants the tool; the host knows no check of an owner's authority over status hosts, so
    /// the owner cannot give one (fail closed) and an admin grants it, as for any value beyond the owner's.
    /// </summary>
    private static async Task<string> CreateAgentAsync(AgentHostFactory host)
    {
        var alice = host.CreateClientAs("alice@example.com");
        var beyond = await alice.PostAsJsonAsync("/api/agents", Agent(new Dictionary<string, string[]> { ["status.hosts"] = ["Status.Example.COM"] }));
        beyond.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await beyond.Content.ReadAsStringAsync()).ShouldContain("an admin can grant");

        var response = await alice.PostAsJsonAsync("/api/agents", Agent([]));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var granted = await host.CreateClientAs("root@example.com").PostAsJsonAsync($"/api/agents/{id}/grants", new { scope = "status.hosts", value = "Status.Example.COM", reason = "the team's status page" });
        granted.StatusCode.ShouldBe(HttpStatusCode.OK, await granted.Content.ReadAsStringAsync());
        return id;
    }

    private static object Agent(Dictionary<string, string[]> scopes) => new
    {
        name = "Status checker",
        instructions = "Check the status page.",
        tools = new[] { "status.check" },
        scopes,
    };

    private static async Task<JsonElement> EvaluateAsync(HttpClient client, string host, string granted)
    {
        var response = await client.PostAsJsonAsync("/api/policy/evaluate", Request(host, "status.hosts", granted));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static object Request(string host, string scope, string granted = "status.example.com") => new
    {
        function = "status.check",
        arguments = new { host },
        agent = new { owner = "alice@example.com", tools = new[] { "status.check" }, scopes = new Dictionary<string, string[]> { [scope] = [granted] } },
    };

    /// <summary>The shipped policies plus one rule for the sample plugin, in a folder of the test's own.</summary>
    private static string StatusPolicies(string data)
    {
        var policies = Path.Combine(data, "policies-status");
        Directory.CreateDirectory(policies);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "policies"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(policies, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(policies, "status.yaml"), """
            rules:
              - id: status-check-granted-hosts
                description: Agents may check the status pages of the hosts they were granted.
                match: { function: status.check }
                when:
                  - argument: host
                    in_scope: status.hosts
                decision: allow
            """);
        return policies;
    }

    private sealed class StatusHost(ModelEmulator model, StatusTools status, string? data = null, string? policies = null)
        : AgentHostFactory(Settings(model, policies), data)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddToolPlugin(StatusTools.Descriptor, _ => status));
        }

        private static Dictionary<string, string?> Settings(ModelEmulator model, string? policies)
        {
            var settings = RunHostFactory.ModelSettings(model);
            if (policies is not null)
            {
                settings["Policies:Path"] = policies;
            }

            return settings;
        }
    }
}
