using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;

namespace AgentHost.Tests.Usage;

/// <summary>`GET /api/usage`: tokens next to the effects they bought, with the page's visibility rules.</summary>
public sealed class UsageEndpointTests : RunHostTest
{
    [Fact]
    public async Task Usage_ShowsTokensNextToEffects_OwnAgentsOnly_ManagersByOwner_SecurityByTeam()
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("email-send", """{"to":["carol@example.com"],"subject":"status","body":"green"}""", "call_mail")], Prompt: 200, Completion: 20),
            new ModelReply.Text("Sent.", Prompt: 300, Completion: 5));
        (await RunsApi.RunToEndAsync(Host, agent, "Tell Carol")).GetProperty("status").GetString().ShouldBe("succeeded");

        var alice = await Host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>("/api/usage");
        var dave = await Host.CreateClientAs("dave@example.com").GetFromJsonAsync<JsonElement>("/api/usage");
        var bob = await Host.CreateClientAs("bob@example.com").GetFromJsonAsync<JsonElement>("/api/usage?groupBy=owner");
        var sam = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/usage?groupBy=team");

        var row = alice.GetProperty("rows").EnumerateArray().ShouldHaveSingleItem();
        row.GetProperty("key").GetString().ShouldBe(agent);
        row.GetProperty("tokens").GetProperty("total").GetInt64().ShouldBe(525);
        row.GetProperty("effects").GetInt32().ShouldBe(1);
        row.GetProperty("effectsByKind").GetProperty("write: email.send").GetInt32().ShouldBe(1);
        row.GetProperty("tokensPerEffect").GetInt64().ShouldBe(525);
        row.GetProperty("runsWithoutEffect").GetInt32().ShouldBe(0);
        dave.GetProperty("rows").GetArrayLength().ShouldBe(0, "dave sees only his own agents");
        bob.GetProperty("rows").EnumerateArray().ShouldHaveSingleItem().GetProperty("key").GetString().ShouldBe("alice@example.com");
        var team = sam.GetProperty("rows").EnumerateArray().ShouldHaveSingleItem();
        team.GetProperty("label").GetString().ShouldBe("Team of Bob Baker");
        sam.ToString().ShouldNotContain("alice@example.com", customMessage: "security sees teams, never single people");
    }

    [Theory]
    [InlineData("alice@example.com", "?groupBy=owner", "groupBy")]
    [InlineData("sam@example.com", "?groupBy=owner", "groupBy")]
    [InlineData("alice@example.com", "?groupBy=nonsense", "groupBy")]
    [InlineData("alice@example.com", "?from=yesterday", "from")]
    [InlineData("alice@example.com", "?from=2026-12-01&to=2026-11-01", "to")]
    [InlineData("alice@example.com", "?from=2020-01-01&to=2026-01-01", "to")]
    public async Task BadQuery_Is400_NamingTheField(string user, string query, string field)
    {
        var response = await Host.CreateClientAs(user).GetAsync("/api/usage" + query);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }
}
