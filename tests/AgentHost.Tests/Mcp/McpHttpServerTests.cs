using AgentHost.Core.Tools;
using AgentHost.McpTestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Mcp;

/// <summary>The same tools over Streamable HTTP, served in this process on a loopback port.</summary>
public sealed class McpHttpServerTests : McpHostTest
{
    private const string ApiKey = "mcp-http-key-1234567890";
    private WebApplication _server = null!;

    public override async Task InitializeAsync()
    {
        _server = await HttpTestServer.StartAsync(() => DescriptionFile, CancellationToken.None);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Policies:Path"] = PolicyFolder,
        ["Mcp:Servers:web:Url"] = HttpTestServer.Endpoint(_server).ToString(),
        ["Mcp:Servers:web:Headers:X-Api-Key"] = ApiKey,
        ["Slack:SigningSecret"] = "slack-signing-secret-never-sent",
        ["Model:ApiKey"] = Model.ApiKey,
    };

    [Fact]
    public async Task HttpServer_IsListed_AndGetsOnlyItsConfiguredHeaders()
    {
        var server = await ServerAsync("web");
        server.GetProperty("transport").GetString().ShouldBe("http");
        server.GetProperty("status").GetString().ShouldBe("connected", server.ToString());
        await ApproveAllAsync("web");

        var result = await Execute("mcp.web.headers");

        result.Succeeded.ShouldBeTrue(result.Content);
        var headers = result.Content.Split('\n').Select(h => h.Split(": ", 2)).ToDictionary(h => h[0], h => h.ElementAtOrDefault(1) ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        headers["X-Api-Key"].ShouldBe(ApiKey);
        headers.Keys.ShouldNotContain("Authorization");
        headers.Keys.ShouldNotContain("Cookie");
        headers.Keys.ShouldNotContain("X-Dev-User");
        headers.Values.ShouldAllBe(v => !v.Contains(Model.ApiKey) && !v.Contains("slack-signing-secret"));
        (await Host.CreateClientAs("root@example.com").GetStringAsync("/api/mcp/servers")).ShouldNotContain(ApiKey);
    }

    [Fact]
    public async Task ServerThatWentDown_FailsItsToolsClearly_AndIsAudited()
    {
        await ApproveAllAsync("web");
        await _server.StopAsync();

        var result = await Execute("mcp.web.echo", ("text", "hi"));

        result.Succeeded.ShouldBeFalse();
        result.Content.ShouldContain("MCP server web is unreachable");
        (await ServerAsync("web")).GetProperty("status").GetString().ShouldBe("unreachable");
        var audited = (await AuditAsync("mcp.server_unreachable")).Single();
        audited.GetProperty("data").GetProperty("server").GetString().ShouldBe("web");
        Host.Services.GetRequiredService<ToolCatalog>().TryGet("mcp.web.echo", out var echo).ShouldBeTrue("a pinned tool stays in the catalog while its server is down");
        var endpoint = HttpTestServer.Endpoint(_server).ToString();
        (await Host.CreateClientAs("root@example.com").GetStringAsync("/api/mcp/servers")).ShouldNotContain(endpoint, customMessage: "the URL is the admin's secret (it may carry a token)");
        audited.ToString().ShouldNotContain(endpoint);
        result.Content.ShouldNotContain(endpoint);
    }

    private Task<ToolResult> Execute(string function, params (string Name, object? Value)[] arguments) =>
        Host.Services.GetServices<IToolExecutor>().Single(e => e.Handles(function))
            .ExecuteAsync(new ToolInvocation(function, arguments.ToDictionary(a => a.Name, a => a.Value), "ag_1", "run_1", "call_1"), CancellationToken.None);
}
