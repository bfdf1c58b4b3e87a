using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Tools;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Tools;

/// <summary>What the model is told of each argument: the declared shape and description, or a published JSON schema.</summary>
public sealed class KernelParameterTests : IAsyncLifetime
{
    private const string Schema = """
        {"type":"object","properties":{"title":{"type":"string","description":"one line","maxLength":80},"labels":{"type":"array","items":{"type":"string","enum":["bug","idea"]}}},"required":["title"]}
        """;

    private ModelEmulator _model = null!;

    public async Task InitializeAsync() => _model = await ModelEmulator.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task TheModel_SeesListsAndDescriptions_FromTheDeclaration_AndAPublishedSchema_PropertyByProperty()
    {
        var tickets = new ToolDescriptor("tickets.open", ToolEffect.Write, ToolReach.Internal, ["title", "labels"], [], "Open a ticket.") { InputSchema = Schema };
        using var host = new SchemaHost(_model, new FixedToolSource([tickets]));
        var created = await host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Tickets",
            instructions = "Open tickets and mail partners.",
            tools = new[] { "tickets.open", "email.send" },
            scopes = new Dictionary<string, string[]> { ["email.recipientDomains"] = ["partner.test"] },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        _model.Enqueue(new ModelReply.Text("Nothing to do."));

        await RunsApi.RunToEndAsync(host, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, "Anything?");

        var offered = _model.Requests.First()["tools"]!.AsArray().Select(t => t!["function"]!).ToDictionary(f => f["name"]!.GetValue<string>());
        var send = offered["email-send"]!["parameters"]!;
        send["properties"]!["to"]!["type"]!.GetValue<string>().ShouldBe("array");
        send["properties"]!["to"]!["description"]!.GetValue<string>().ShouldContain("one plain address");
        send["properties"]!["subject"]!["type"]!.GetValue<string>().ShouldBe("string");
        var open = offered["tickets-open"]!["parameters"]!;
        open["properties"]!["title"]!["maxLength"]!.GetValue<int>().ShouldBe(80);
        open["properties"]!["title"]!["description"]!.GetValue<string>().ShouldBe("one line");
        open["properties"]!["labels"]!["items"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["bug", "idea"]);
        (open["required"] as JsonArray)!.Select(r => r!.GetValue<string>()).ShouldBe(["title"]);
    }

    private sealed class SchemaHost(ModelEmulator model, IToolSource source) : AgentHostFactory(RunHostFactory.ModelSettings(model))
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(source));
        }
    }
}
