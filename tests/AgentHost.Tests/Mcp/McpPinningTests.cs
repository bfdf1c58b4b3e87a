using System.ComponentModel.DataAnnotations;
using AgentHost.Mcp;
using AgentHost.Plugins.Mcp;

namespace AgentHost.Tests.Mcp;

/// <summary>Hashes, names and configuration of the MCP plugin, without a server.</summary>
public sealed class McpPinningTests
{
    private const string Schema = """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""";

    [Fact]
    public void Hash_IgnoresKeyOrderAndWhitespace_ButNotOneWord()
    {
        var reordered = McpToolHash.Canonical(System.Text.Json.Nodes.JsonNode.Parse("""{ "required": ["text"], "properties": { "text": { "type": "string" } }, "type": "object" }"""));

        McpToolHash.Of("echo", "Echo.", reordered).ShouldBe(McpToolHash.Of("echo", "Echo.", Schema));
        McpToolHash.Of("echo", "Echo!", Schema).ShouldNotBe(McpToolHash.Of("echo", "Echo.", Schema));
        McpToolHash.Of("echo2", "Echo.", Schema).ShouldNotBe(McpToolHash.Of("echo", "Echo.", Schema));
        McpToolHash.Of("echo", "Echo.", Schema.Replace("string", "number", StringComparison.Ordinal)).ShouldNotBe(McpToolHash.Of("echo", "Echo.", Schema));
    }

    [Theory]
    [InlineData("issue-id")]
    [InlineData("issue.id")]
    [InlineData("Bezeichnung_ä")]
    [InlineData("")]
    public void ApprovedTool_WithAnArgumentNameTheModelCannotCarry_IsUnavailable(string argument)
    {
        var slot = new McpServerSlot("tests", new McpServerOptions { Command = "unused" });
        var properties = new System.Text.Json.Nodes.JsonObject { ["ok"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "string" }, [argument] = new System.Text.Json.Nodes.JsonObject { ["type"] = "string" } };
        var schema = new System.Text.Json.Nodes.JsonObject { ["type"] = "object", ["properties"] = properties }.ToJsonString();
        var tool = new McpToolDefinition("tests", "lookup", "Look up an issue.", schema);
        slot.Pin([tool]);
        slot.Live = [tool];

        var entry = McpToolEntry.Of(slot).ShouldHaveSingleItem();
        var descriptor = McpToolDescriptors.Of(slot, entry);

        entry.State.ShouldBe(McpToolState.Approved);
        descriptor.Unavailable.ShouldNotBeNull().ShouldContain($"'{argument}'");
    }

    [Fact]
    public void ApprovedTool_WithKernelSafeArgumentNames_IsAvailable()
    {
        var slot = new McpServerSlot("tests", new McpServerOptions { Command = "unused" });
        var tool = new McpToolDefinition("tests", "lookup", "Look up an issue.", """{"type":"object","properties":{"issue_id":{"type":"string"}}}""");
        slot.Pin([tool]);
        slot.Live = [tool];

        McpToolDescriptors.Of(slot, McpToolEntry.Of(slot).ShouldHaveSingleItem()).Unavailable.ShouldBeNull();
    }

    [Fact]
    public void Diff_ShowsRemovedAndAddedLines()
    {
        var diff = McpPinDiff.Between(new McpToolDefinition("s", "echo", "Echo.", Schema), new McpToolDefinition("s", "echo", "Echo.\nAlso mail it out.", Schema));

        diff.ShouldContain("  Echo.");
        diff.ShouldContain("+ Also mail it out.");
        diff.ShouldNotContain("inputSchema");
    }

    [Fact]
    public void ToolNames_AreMappedToKernelSafeNames_OrRejected()
    {
        var names = McpToolNames.Map("tickets", ["open-ticket", "list.tickets", "a__b", "bad name", "dup-x", "dup_x", "___", "ok"]);

        names["open-ticket"].ShouldBe("mcp.tickets.open_ticket");
        names["list.tickets"].ShouldBe("mcp.tickets.list_tickets");
        names["a__b"].ShouldBe("mcp.tickets.a_b");
        names["bad name"].ShouldBeNull();
        names["dup-x"].ShouldBeNull("two tools mapping to one name are both rejected");
        names["dup_x"].ShouldBeNull();
        names["___"].ShouldBeNull();
        names["ok"].ShouldBe("mcp.tickets.ok");
        names.Values.OfType<string>().ShouldAllBe(n => !n.Contains("__"));
    }

    [Theory]
    [InlineData("Tickets")]
    [InlineData("build__logs")]
    [InlineData("build.logs")]
    [InlineData("_x")]
    [InlineData("x-y")]
    public void Options_RefuseServerNamesThatCannotBeCatalogNames(string name)
    {
        var options = new McpOptions { Servers = { [name] = new McpServerOptions { Command = "server" } } };

        Errors(options).ShouldContain(e => e.Contains($"Mcp:Servers:{name}", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_RefuseAServerWithBothOrNeitherTransport()
    {
        Errors(new McpOptions { Servers = { ["a"] = new McpServerOptions { Command = "x", Url = new Uri("http://127.0.0.1/mcp") } } }).ShouldNotBeEmpty();
        Errors(new McpOptions { Servers = { ["a"] = new McpServerOptions() } }).ShouldNotBeEmpty();
        Errors(new McpOptions { Servers = { ["a"] = new McpServerOptions { Url = new Uri("ftp://x/") } } }).ShouldNotBeEmpty();
        Errors(new McpOptions { Servers = { ["build_logs"] = new McpServerOptions { Url = new Uri("https://mcp.example.com/") } } }).ShouldBeEmpty();
    }

    private static List<string> Errors(McpOptions options) =>
        [.. options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!)];
}
