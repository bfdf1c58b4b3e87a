using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Runs;
using AgentHost.Runs;
using AgentHost.Tests.Web;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>
/// Agent history through the host: every save by the API, the web form or an admin's grant is a version with
/// its diff, also carried by agent.created / agent.updated; an identical save is none; whoever may see the
/// agent reads its history, nobody else; runs say which version they ran; the History page shows the diffs.
/// </summary>
public sealed class AgentHistoryTests : IDisposable
{
    private const string Token = "xoxb-123456789012-abcdefghijkl";

    private readonly AgentHostFactory _host = new();

    private static object Agent(string name = "Inbox triage", string instructions = "Move newsletters to Triage.\nFlag mail from my manager.", string[]? channels = null, int maxTurns = 10) => new
    {
        name,
        instructions,
        tools = new[] { "email.list_messages", "email.move_message", "slack.post_message" },
        scopes = new Dictionary<string, string[]> { ["email.folders"] = ["INBOX", "Triage"], ["slack.channels"] = channels ?? ["C0OPS"] },
        budgets = new { tokensPerRun = 20000, tokensPerDay = 200000, maxTurns, maxConcurrentRuns = 1 },
    };

    [Fact]
    public async Task CreateAndUpdate_AreVersions_NewestFirst_WithWhoWhenAndDiff_AndTheAuditEventsCarryThem()
    {
        var alice = _host.CreateClientAs("alice@example.com");
        var id = await CreateAsync(alice, Agent());

        var put = await alice.PutAsJsonAsync($"/api/agents/{id}", Agent(instructions: "Move newsletters to Triage.\nFlag mail from my manager and the CEO.", channels: ["C0OPS", "C0DEV"], maxTurns: 20));

        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("definitionVersion").GetInt64().ShouldBe(2);
        var versions = await alice.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/versions");
        versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt64()).ShouldBe([2, 1]);
        var latest = versions[0];
        latest.GetProperty("savedBy").GetString().ShouldBe("alice@example.com");
        latest.GetProperty("definition").GetProperty("budgets").GetProperty("maxTurns").GetInt32().ShouldBe(20);
        var changes = latest.GetProperty("diff").GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!);
        changes.Keys.ShouldBe(["instructions", "scopes.slack.channels", "budgets.maxTurns"], ignoreOrder: true);
        changes["instructions"].GetProperty("lines").EnumerateArray().Select(l => $"{l.GetProperty("kind").GetString()} {l.GetProperty("line").GetInt32()} {l.GetProperty("text").GetString()}")
            .ShouldBe(["removed 2 Flag mail from my manager.", "added 2 Flag mail from my manager and the CEO."], ignoreOrder: true);
        changes["scopes.slack.channels"].GetProperty("added").EnumerateArray().Select(v => v.GetString()).ShouldBe(["C0DEV"]);
        (changes["budgets.maxTurns"].GetProperty("before").GetString(), changes["budgets.maxTurns"].GetProperty("after").GetString()).ShouldBe(("10", "20"));
        var one = await alice.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/versions/1");
        one.GetProperty("definition").GetProperty("budgets").GetProperty("maxTurns").GetInt32().ShouldBe(10);
        (await alice.GetAsync($"/api/agents/{id}/versions/3")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var sam = _host.CreateClientAs("sam@example.com");
        var created = (await sam.GetFromJsonAsync<JsonElement>($"/api/audit?agentId={id}&type=agent.created")).GetProperty("events")[0].GetProperty("data");
        created.GetProperty("definitionVersion").GetInt64().ShouldBe(1);
        created.GetProperty("diff").GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ShouldContain("tools");
        var updated = (await sam.GetFromJsonAsync<JsonElement>($"/api/audit?agentId={id}&type=agent.updated")).GetProperty("events").EnumerateArray().ShouldHaveSingleItem().GetProperty("data");
        updated.GetProperty("definitionVersion").GetInt64().ShouldBe(2);
        var carried = updated.GetProperty("diff").GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("field").GetString()!);
        carried.Keys.ShouldBe(changes.Keys, ignoreOrder: true);
        carried["instructions"].GetProperty("lines").GetArrayLength().ShouldBe(2);
        carried["budgets.maxTurns"].GetProperty("after").GetString().ShouldBe("20");
    }

    [Fact]
    public async Task IdenticalSave_EvenReorderedOrInOtherCase_WritesNoVersion_AndNoEvent()
    {
        var alice = _host.CreateClientAs("alice@example.com");
        var id = await CreateAsync(alice, Agent());

        var same = await alice.PutAsJsonAsync($"/api/agents/{id}", Agent());
        var reordered = await alice.PutAsJsonAsync($"/api/agents/{id}", new
        {
            name = " Inbox triage ",
            instructions = "Move newsletters to Triage.\r\nFlag mail from my manager.",
            tools = new[] { "slack.post_message", "email.move_message", "email.list_messages" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["c0ops"], ["email.folders"] = ["Triage", "inbox"] },
            budgets = new { tokensPerRun = 20000, tokensPerDay = 200000, maxTurns = 10, maxConcurrentRuns = 1 },
        });

        same.StatusCode.ShouldBe(HttpStatusCode.OK);
        reordered.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reordered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("definitionVersion").GetInt64().ShouldBe(1);
        (await alice.GetFromJsonAsync<JsonElement>($"/api/agents/{id}/versions")).GetArrayLength().ShouldBe(1);
        (await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?agentId={id}&type=agent.updated")).GetProperty("events").GetArrayLength().ShouldBe(0);

        // A change of case where case counts (a name as people read it) is a version.
        var renamed = await alice.PutAsJsonAsync($"/api/agents/{id}", Agent(name: "Inbox Triage"));
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("definitionVersion").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task History_IsForWhoeverSeesTheAgent_StrangersGetTheUnseenAgents404()
    {
        var id = await CreateAsync(_host.CreateClientAs("alice@example.com"), Agent());

        foreach (var (who, expected) in new[] { ("alice@example.com", HttpStatusCode.OK), ("bob@example.com", HttpStatusCode.OK), ("sam@example.com", HttpStatusCode.OK), ("root@example.com", HttpStatusCode.OK), ("dave@example.com", HttpStatusCode.NotFound), ("carol@example.com", HttpStatusCode.NotFound) })
        {
            var client = _host.CreateClientAs(who);
            (await client.GetAsync($"/api/agents/{id}/versions")).StatusCode.ShouldBe(expected, who);
            (await client.GetAsync($"/api/agents/{id}/versions/1")).StatusCode.ShouldBe(expected, who);
            using var pages = new PageClient(_host, who);
            (await pages.RawGetAsync($"/agents/{id}/history")).StatusCode.ShouldBe(expected, who);
        }

        var dave = _host.CreateClientAs("dave@example.com");
        var refused = await dave.GetAsync($"/api/agents/{id}/versions");
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("Move newsletters");
        (await dave.GetAsync("/api/agents/ag_nosuch/versions")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _host.CreateClientAs("alice@example.com").GetAsync($"/api/agents/{id}/versions?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var first = await _host.CreateClientAs("alice@example.com").GetAsync($"/api/agents/{id}/versions/first");
        first.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("version").GetArrayLength().ShouldBe(1);
        var many = await _host.CreateClientAs("alice@example.com").GetAsync($"/api/agents/{id}/versions?limit=many");
        many.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await many.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("limit", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task SecretsPastedIntoAnAgent_NeverReachItsHistoryNorTheEvent()
    {
        var alice = _host.CreateClientAs("alice@example.com");
        var id = await CreateAsync(alice, Agent());

        (await alice.PutAsJsonAsync($"/api/agents/{id}", Agent(instructions: $"Post with {Token} when stuck."))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var history = await (await alice.GetAsync($"/api/agents/{id}/versions")).Content.ReadAsStringAsync();
        history.ShouldNotContain(Token);
        history.ShouldContain("[REDACTED]");
        var events = await (await _host.CreateClientAs("sam@example.com").GetAsync($"/api/audit?agentId={id}&type=agent.updated")).Content.ReadAsStringAsync();
        events.ShouldNotContain(Token);
    }

    [Fact]
    public async Task AnAdminsGrant_IsAVersionSavedByTheAdmin()
    {
        var id = await CreateAsync(_host.CreateClientAs("alice@example.com"), Agent());

        var grant = await _host.CreateClientAs("root@example.com").PostAsJsonAsync($"/api/agents/{id}/grants", new { scope = "slack.channels", value = "C0GENERAL", reason = "announcements" });

        grant.StatusCode.ShouldBe(HttpStatusCode.OK, await grant.Content.ReadAsStringAsync());
        var latest = (await _host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/agents/{id}/versions"))[0];
        latest.GetProperty("version").GetInt64().ShouldBe(2);
        latest.GetProperty("savedBy").GetString().ShouldBe("root@example.com");
        latest.GetProperty("diff").GetProperty("changes")[0].GetProperty("added")[0].GetString().ShouldBe("C0GENERAL");
    }

    [Fact]
    public async Task ARun_SaysWhichVersionItRan_AndTheRunPageLinksToIt()
    {
        var alice = _host.CreateClientAs("alice@example.com");
        var id = await CreateAsync(alice, Agent());
        (await alice.PutAsJsonAsync($"/api/agents/{id}", Agent(maxTurns: 12))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var started = await alice.PostAsJsonAsync($"/api/agents/{id}/runs", new { input = "sort" });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var run = await alice.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");

        run.GetProperty("agentVersion").GetInt64().ShouldBe(2);
        using var pages = new PageClient(_host, "alice@example.com");
        var (_, page) = await pages.GetAsync($"/runs/{runId}");
        var link = page.QuerySelector("#run-agent-version")!;
        link.TextContent.ShouldBe("ran version 2");
        link.GetAttribute("href").ShouldBe($"/agents/{id}/history#v2");
    }

    [Fact]
    public async Task ARunQueuedBeforeASave_RecordsTheVersionItIsDrivenWith()
    {
        var alice = _host.CreateClientAs("alice@example.com");
        var id = await CreateAsync(alice, Agent());
        var runs = _host.Services.GetRequiredService<RunStore>();
        var queued = await runs.CreateAsync(id, "alice@example.com", "sort", CancellationToken.None);
        (await alice.PutAsJsonAsync($"/api/agents/{id}", Agent(maxTurns: 12))).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _host.Services.GetRequiredService<RunExecutor>().ExecuteAsync(queued.Id, CancellationToken.None);

        queued.AgentVersion.ShouldBe(1);
        (await runs.GetAsync(queued.Id, CancellationToken.None))!.AgentVersion.ShouldBe(2);
    }

    [Fact]
    public async Task TheWebForm_SaveIsAVersion_AndTheHistoryPageShowsTheDiffInWords()
    {
        var id = await CreateAsync(_host.CreateClientAs("alice@example.com"), Agent());
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync($"/agents/{id}/edit");

        var (saved, _) = await alice.SubmitAsync(form, "main form", [
            new("Form.Name", "Inbox triage v2"),
            new("Form.Instructions", "Move newsletters to Triage.\nFlag mail from my manager.\nNever delete anything."),
            new("action", "save"),
        ]);
        var (_, again) = await alice.GetAsync($"/agents/{id}/edit");
        var (resaved, _) = await alice.SubmitAsync(again, "main form", [new("action", "save")]);
        var (_, history) = await alice.GetAsync($"/agents/{id}/history");
        var (_, details) = await alice.GetAsync($"/agents/{id}");

        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        resaved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        history.QuerySelectorAll("ol.history > li").Select(li => li.Id).ShouldBe(["v2", "v1"], "saving the form unchanged is no version");
        var v2 = history.QuerySelector("#v2")!;
        v2.QuerySelector("h2")!.TextContent.ShouldBe("Version 2 (current)");
        v2.QuerySelector(".hint")!.TextContent.ShouldStartWith("saved by alice@example.com at ");
        var terms = v2.QuerySelectorAll("dl.diff dt").Select(d => d.TextContent).ToList();
        terms.ShouldBe(["Name", "Instructions"]);
        v2.QuerySelector(".now")!.TextContent.ShouldBe("Inbox triage v2");
        v2.QuerySelector(".was")!.TextContent.ShouldBe("Inbox triage");
        var added = v2.QuerySelector("ul.diff-lines li.added ins")!;
        added.TextContent.ShouldContain("Never delete anything.");
        added.QuerySelector(".visually-hidden")!.TextContent.ShouldBe("Added line 3: ");
        history.QuerySelector("#v1 dl.diff")!.TextContent.ShouldContain("slack.post_message");
        details.QuerySelector("#history-link")!.GetAttribute("href").ShouldBe($"/agents/{id}/history");
        details.QuerySelector("#agent-version")!.TextContent.ShouldBe("version 2");
    }

    public void Dispose() => _host.Dispose();

    private static async Task<string> CreateAsync(HttpClient client, object agent)
    {
        var response = await client.PostAsJsonAsync("/api/agents", agent);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
