using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Agents;
using AgentHost.Core.Tools;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Tools;

/// <summary>A tool whose descriptor says it is unavailable (an MCP tool awaiting approval) can be neither granted nor called.</summary>
public sealed class UnavailableToolTests : IAsyncLifetime
{
    private const string Reason = "awaiting an admin's approval of the server's new tool list";
    private static readonly ToolDescriptor Open = new("tickets.open", ToolEffect.Write, ToolReach.Internal, ["title"], [], "Open a ticket.");

    private ModelEmulator _model = null!;

    public async Task InitializeAsync() => _model = await ModelEmulator.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public void TheValidator_RefusesGrantingIt_NamingTheReason()
    {
        var source = new SwitchableToolSource(Open);
        var validator = new AgentValidator(new ToolCatalog([source]));
        var definition = new AgentDefinition("Tickets", null, "Open tickets.", null, ["tickets.open"], null, null, null);
        validator.Validate(definition).ShouldNotContainKey("tools");

        source.MakeUnavailable(Reason);

        validator.Validate(definition)["tools"].ShouldHaveSingleItem().ShouldBe($"tickets.open cannot be granted: {Reason}");
    }

    [Fact]
    public async Task ACallToIt_IsDeniedBeforeThePolicy_WithTheReason_AndNeverExecuted()
    {
        var source = new SwitchableToolSource(Open);
        var executor = new PendingToolExecutor("tickets.open");
        using var host = new TicketsHost(_model, source, executor);
        var alice = host.CreateClientAs("alice@example.com");
        var created = await alice.PostAsJsonAsync("/api/agents", new { name = "Tickets", instructions = "Open tickets.", tools = new[] { "tickets.open" } });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var agent = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        source.MakeUnavailable(Reason);
        _model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("tickets-open", "{\"title\":\"printer\"}")]),
            new ModelReply.Text("I could not open it."));
        var run = await RunsApi.RunToEndAsync(host, agent, "Open a ticket about the printer");

        var call = run.GetProperty("toolCalls").EnumerateArray().ShouldHaveSingleItem();
        call.GetProperty("outcome").GetString().ShouldBe("denied");
        call.GetProperty("rules")[0].GetString().ShouldBe(CallDecision.UnavailableRule);
        executor.Calls.ShouldBeEmpty();
        _model.Requests.Last()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>().ShouldContain(Reason);
        var offered = _model.Requests.First()["tools"]?.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()) ?? [];
        offered.ShouldNotContain("tickets-open");
        var audit = await host.CreateClientAs("sam@example.com").GetStringAsync($"/api/audit?runId={run.GetProperty("id").GetString()}");
        audit.ShouldContain(CallDecision.UnavailableRule);
        audit.ShouldContain(Reason);
    }

    private sealed class TicketsHost(ModelEmulator model, IToolSource source, IToolExecutor executor) : AgentHostFactory(RunHostFactory.ModelSettings(model))
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(source).AddSingleton(executor));
        }
    }
}
