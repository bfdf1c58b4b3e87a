using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentHost.Tests.Host;

public sealed class AgentEndpointTests : IDisposable
{
    private readonly AgentHostFactory _host = new();

    private static object ValidAgent(string name = "Inbox triage") => new
    {
        name,
        description = "Sorts my inbox",
        instructions = "Move newsletters to Triage; flag mail from my manager.",
        tools = new[] { "email.list_messages", "email.move_message", "slack.post_message" },
        scopes = new Dictionary<string, string[]> { ["email.folders"] = ["INBOX", "Triage"], ["slack.channels"] = ["C0OPS"] },
        triggers = new { manual = true, schedules = new[] { new { cron = "0 8 * * 1-5", timeZone = "Europe/Berlin" } } },
        budgets = new { tokensPerRun = 20000, tokensPerDay = 200000, maxTurns = 10, maxWallTime = "00:05:00", maxConcurrentRuns = 1 },
    };

    [Fact]
    public async Task Create_ValidAgent_IsStoredOwnedAndAudited()
    {
        var alice = _host.CreateClientAs("alice@example.com");

        var response = await alice.PostAsJsonAsync("/api/agents", ValidAgent());

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var agent = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = agent.GetProperty("id").GetString()!;
        response.Headers.Location!.ToString().ShouldBe($"/api/agents/{id}");
        agent.GetProperty("owner").GetString().ShouldBe("alice@example.com");
        agent.GetProperty("definition").GetProperty("tools").GetArrayLength().ShouldBe(3);
        var stored = await alice.GetFromJsonAsync<JsonElement>($"/api/agents/{id}");
        stored.GetProperty("definition").GetProperty("budgets").GetProperty("maxWallTime").GetString().ShouldBe("00:05:00");
        var audit = await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?agentId={id}&type=agent.created");
        var created = audit.GetProperty("events")[0];
        created.GetProperty("actor").GetString().ShouldBe("employee:alice@example.com");
        created.GetProperty("data").GetProperty("after").GetProperty("instructions").GetString()!.ShouldContain("newsletters");
    }

    [Fact]
    public async Task Create_InvalidFields_AreEachNamed()
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "",
            instructions = "   ",
            tools = new[] { "email.list_messages", "shell.exec" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C1"], ["email.everything"] = ["x"] },
            triggers = new { schedules = new[] { new { cron = "every morning", timeZone = "Mars/Olympus" } } },
            budgets = new { tokensPerRun = 10, tokensPerDay = 100, maxTurns = 0, maxConcurrentRuns = 1 },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe(
            ["name", "instructions", "tools[1]", "scopes.slack.channels", "scopes.email.everything", "triggers.schedules[0].cron", "triggers.schedules[0].timeZone", "budgets.tokensPerRun", "budgets.maxTurns"],
            ignoreOrder: true);
        errors.GetProperty("scopes.slack.channels")[0].GetString()!.ShouldContain("no slack tool is granted");
    }

    [Theory]
    [InlineData("{\"name\": 5")]
    [InlineData("{\"budgets\": {\"maxTurns\": \"many\"}}")]
    [InlineData("null")]
    public async Task Create_MalformedJson_Is400(string body)
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsync("/api/agents", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Visibility_OwnerManagerAndSecuritySee_OthersDoNot()
    {
        var id = await CreateAsync("alice@example.com");

        (await _host.CreateClientAs("alice@example.com").GetAsync($"/api/agents/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.CreateClientAs("bob@example.com").GetAsync($"/api/agents/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.CreateClientAs("sam@example.com").GetAsync($"/api/agents/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.CreateClientAs("dave@example.com").GetAsync($"/api/agents/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _host.CreateClientAs("carol@example.com").GetAsync($"/api/agents/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _host.CreateClientAs("dave@example.com").GetAsync("/api/agents?owner=alice@example.com")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var bobsView = await _host.CreateClientAs("bob@example.com").GetFromJsonAsync<JsonElement>("/api/agents?owner=alice@example.com");
        bobsView.EnumerateArray().Select(a => a.GetProperty("id").GetString()).ShouldBe([id]);
        (await _host.CreateClientAs("dave@example.com").GetFromJsonAsync<JsonElement>("/api/agents")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Update_ByOwner_IsAuditedWithBeforeAndAfter_OthersAreRefused()
    {
        var id = await CreateAsync("alice@example.com");

        var renamed = await _host.CreateClientAs("alice@example.com").PutAsJsonAsync($"/api/agents/{id}", ValidAgent("Inbox triage v2"));
        var byManager = await _host.CreateClientAs("bob@example.com").PutAsJsonAsync($"/api/agents/{id}", ValidAgent("taken over"));
        var byStranger = await _host.CreateClientAs("dave@example.com").PutAsJsonAsync($"/api/agents/{id}", ValidAgent("taken over"));
        var invalid = await _host.CreateClientAs("alice@example.com").PutAsJsonAsync($"/api/agents/{id}", new { name = "x" });

        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64().ShouldBe(2);
        byManager.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        byStranger.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var updated = (await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?agentId={id}&type=agent.updated")).GetProperty("events");
        updated.GetArrayLength().ShouldBe(1);
        updated[0].GetProperty("data").GetProperty("before").GetProperty("name").GetString().ShouldBe("Inbox triage");
        updated[0].GetProperty("data").GetProperty("after").GetProperty("name").GetString().ShouldBe("Inbox triage v2");
    }

    [Fact]
    public async Task Disable_IsTheKillSwitch_AuditedOnce()
    {
        var id = await CreateAsync("alice@example.com");

        (await _host.CreateClientAs("dave@example.com").PostAsJsonAsync($"/api/agents/{id}/disable", new { reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/agents/{id}/disable", new { reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var first = await _host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/agents/{id}/disable", new { reason = "suspicious mail forwarding" });
        var second = await _host.CreateClientAs("alice@example.com").PostAsync($"/api/agents/{id}/disable", null);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean().ShouldBeTrue();
        var disabled = (await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?agentId={id}&type=agent.disabled")).GetProperty("events");
        disabled.GetArrayLength().ShouldBe(1);
        disabled[0].GetProperty("actor").GetString().ShouldBe("employee:sam@example.com");
        disabled[0].GetProperty("data").GetProperty("reason").GetString().ShouldBe("suspicious mail forwarding");
    }

    [Fact]
    public async Task WhatIf_ForAStoredAgent_UsesItsToolsAndScopes()
    {
        var id = await CreateAsync("alice@example.com");
        var alice = _host.CreateClientAs("alice@example.com");

        async Task<string?> DecideAsync(string channel) => (await (await alice.PostAsJsonAsync("/api/policy/evaluate", new
        {
            function = "slack.post_message",
            arguments = new { channel, text = "hi" },
            agentId = id,
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision").GetString();

        (await DecideAsync("C0OPS")).ShouldBe("allow");
        (await DecideAsync("C0OTHER")).ShouldBe("deny");
        (await _host.CreateClientAs("dave@example.com").PostAsJsonAsync("/api/policy/evaluate", new { function = "slack.post_message", agentId = id })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    public void Dispose() => _host.Dispose();

    private async Task<string> CreateAsync(string owner)
    {
        var response = await _host.CreateClientAs(owner).PostAsJsonAsync("/api/agents", ValidAgent());
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
