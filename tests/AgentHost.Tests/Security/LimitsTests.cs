using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Security;

/// <summary>
/// Limits an employee or a fooled agent runs into: body size, field lengths, runs and approval requests per
/// agent and hour. Each is refused with a clear 4xx (429 with Retry-After for the hourly ones), and the
/// hourly ones leave a budget.exceeded audit event.
/// </summary>
public sealed class LimitsTests : IAsyncLifetime
{
    private readonly RecordingToolExecutor _tools = new();
    private ModelEmulator _model = null!;
    private LimitedHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _model = await ModelEmulator.StartAsync();
        _host = new LimitedHostFactory(_model, _tools, new() { ["Limits:RunsPerAgentPerHour"] = "3", ["Limits:ApprovalsPerAgentPerHour"] = "1" });
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task RunsPerAgentPerHour_TheNextStartIs429WithRetryAfter_AndAudited()
    {
        _model.Respond = _ => new ModelReply.Text("ok");
        var agent = await RunsApi.CreateAgentAsync(_host);
        var alice = _host.CreateClientAs("alice@example.com");
        for (var i = 0; i < 3; i++)
        {
            await RunsApi.RunToEndAsync(_host, agent, $"run {i}");
        }

        var refused = await alice.PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "one too many" });

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 3600);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("runsPerHour: 3 of 3");
        var audit = await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?agentId={agent}&type=budget.exceeded");
        audit.GetProperty("events").EnumerateArray().ShouldContain(e => e.GetProperty("data").GetProperty("budget").GetString() == "runsPerHour");
    }

    [Fact]
    public async Task ApprovalsPerAgentPerHour_StopsTheRunThatAsksOnceTooOften_AndAudits()
    {
        _model.Respond = _ => new ModelReply.ToolCalls([new ToolCall("email-send", """{"to":["ops@partner.test"],"subject":"status","body":"green"}""")]);
        var agent = await RunsApi.CreateAgentAsync(_host);

        var first = await RunsApi.RunToEndAsync(_host, agent, "Tell the partner", until: "awaiting_approval");
        var second = await RunsApi.RunToEndAsync(_host, agent, "Tell the partner again", until: "awaiting_approval");

        first.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        second.GetProperty("status").GetString().ShouldBe("stopped", second.ToString());
        second.GetProperty("stopReason").GetString()!.ShouldContain("approvalsPerHour: 1 of 1");
        second.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("denied");
        _tools.Calls.ShouldBeEmpty();
        var audit = await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={second.GetProperty("id").GetString()}&type=budget.exceeded");
        audit.GetProperty("events").EnumerateArray().ShouldHaveSingleItem().GetProperty("data").GetProperty("budget").GetString().ShouldBe("approvalsPerHour");
    }

    [Fact]
    public async Task OversizedBodiesAndFields_AreRefusedWithA4xxNamingTheField()
    {
        var agent = await RunsApi.CreateAgentAsync(_host);
        var alice = _host.CreateClientAs("alice@example.com");
        var huge = new StringContent("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");

        var body = await alice.PostAsync("/api/agents", huge);
        var instructions = await alice.PostAsJsonAsync("/api/agents", new { name = "n", instructions = new string('i', 20_001), tools = new[] { "slack.read_channel" } });
        var input = await alice.PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = new string('i', 20_001) });
        var comment = await _host.CreateClientAs("bob@example.com").PostAsJsonAsync("/api/approvals/apr_x/decision", new { decision = "approve", comment = new string('c', 1_001) });

        body.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        instructions.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await instructions.Content.ReadAsStringAsync()).ShouldContain("instructions");
        input.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await input.Content.ReadAsStringAsync()).ShouldContain("input");
        comment.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await comment.Content.ReadAsStringAsync()).ShouldContain("comment");
    }

    [Fact]
    public void InvalidLimits_StopTheHostAtStartUp_NamingTheKey()
    {
        using var host = new LimitedHostFactory(_model, _tools, new() { ["Limits:RunsPerAgentPerHour"] = "0" });

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => host.CreateClient());

        error.Message.ShouldContain("RunsPerAgentPerHour");
    }

    private sealed class LimitedHostFactory(ModelEmulator model, RecordingToolExecutor tools, Dictionary<string, string?> limits) : AgentHostFactory(Settings(model, limits))
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<AgentHost.Core.Tools.IToolExecutor>(tools));
        }

        private static Dictionary<string, string?> Settings(ModelEmulator model, Dictionary<string, string?> limits)
        {
            var settings = new Dictionary<string, string?>(limits)
            {
                ["Model:Endpoint"] = model.Endpoint.ToString(),
                ["Model:ApiKey"] = model.ApiKey,
                ["Model:Name"] = "emulated-model",
            };
            return settings;
        }
    }
}
