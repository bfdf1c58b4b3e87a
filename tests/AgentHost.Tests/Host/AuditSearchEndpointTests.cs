using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>
/// Free-text search through GET /api/audit and the audit page, on SQLite and on PostgreSQL
/// (AGENTHOST_TEST_STORE=postgres): any case, any role prefix, FTS and tsquery syntax read as words, agent
/// names in another case, newest first with stable pages, and bad values refused naming the field.
/// </summary>
public sealed class AuditSearchEndpointTests : IDisposable
{
    private readonly AgentHostFactory _host = new();

    [Fact]
    public async Task Searches_FindTheEventsInAnyCaseAndRole_NewestFirst()
    {
        var seeded = await SeedAsync();
        var client = _host.CreateClientAs("sam@example.com");

        (await SeqsAsync(client, "q=ZANZIBAR")).ShouldBe([seeded[4], seeded[2], seeded[0]]);
        (await SeqsAsync(client, "q=zanzibar%20production")).ShouldBe([seeded[4], seeded[2]]);
        (await SeqsAsync(client, "q=%22zanzibar%20deploy%22")).ShouldBe([seeded[2]]);
        (await SeqsAsync(client, "q=zanzi*")).ShouldBe([seeded[4], seeded[2], seeded[0]]);
        (await SeqsAsync(client, "q=z%C3%BCrich%20%E6%9D%B1%E4%BA%AC")).ShouldBe([seeded[5]]);
        (await SeqsAsync(client, "q=quinn.search@example.com")).ShouldBe([seeded[3], seeded[1]]);
        (await SeqsAsync(client, "person=QUINN.SEARCH@example.com")).ShouldBe([seeded[3], seeded[1]]);
        (await SeqsAsync(client, "person=user:quinn.search@EXAMPLE.com")).ShouldBe([seeded[3], seeded[1]]);
        (await SeqsAsync(client, "person=approver:Quinn.Search@Example.com&decision=APPROVE")).ShouldBe([seeded[3]]);
        (await SeqsAsync(client, "person=uinn.search@example.com")).ShouldBeEmpty();
        (await SeqsAsync(client, "function=PROBE.Deploy")).ShouldBe([seeded[4], seeded[2]]);
        (await SeqsAsync(client, "function=probe.deploy&decision=Deny&rule=FREEZE-ZANZIBAR")).ShouldBe([seeded[4]]);
        (await SeqsAsync(client, "agent=SEARCH%20PROBE%20BOT&q=zanzibar")).ShouldBe([seeded[2], seeded[0]]);
        (await SeqsAsync(client, "agent=search%20probe")).ShouldBeEmpty("a name is matched whole");
        (await SeqsAsync(client, "agent=nobody%20at%20all")).ShouldBeEmpty();

        var oldestFirst = await client.GetFromJsonAsync<JsonElement>("/api/audit?q=zanzibar");
        oldestFirst.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ShouldBe([seeded[0], seeded[2], seeded[4]]);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"zanzibar")]
    [InlineData("*")]
    [InlineData("zanzibar*")]
    [InlineData("NEAR(zanzibar deploy)")]
    [InlineData("-zanzibar")]
    [InlineData("words:zanzibar")]
    [InlineData("keys:zanzibar OR x")]
    [InlineData("zanzibar & !deploy | <-> :*")]
    [InlineData("') OR 1=1 --")]
    [InlineData("\\'\\\\")]
    [InlineData("\u0000zanzibar")]
    [InlineData("\uE000 ① zanzibar")]
    [InlineData("")]
    public async Task QueryLanguageSyntax_InQ_IsNeverAnError(string q)
    {
        var seeded = await SeedAsync();
        var client = _host.CreateClientAs("sam@example.com");

        var response = await client.GetAsync("/api/audit?order=desc&q=" + Uri.EscapeDataString(q));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var seqs = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ToList();
        if (q.Contains("zanzibar", StringComparison.Ordinal) && !q.Contains("NEAR", StringComparison.Ordinal) && !q.Contains("keys", StringComparison.Ordinal) && !q.Contains("words", StringComparison.Ordinal) && !q.Contains('!', StringComparison.Ordinal)
            && !q.Contains('\uE000', StringComparison.Ordinal))
        {
            seqs.ShouldContain(seeded[0], "the word is still a word among the punctuation");
        }

        var page = await client.GetAsync("/audit?q=" + Uri.EscapeDataString(q));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PagesNewestFirst_MeetWithoutGapsOrRepeats_WhileEventsArrive()
    {
        var writer = _host.Services.GetRequiredService<AuditLogWriter>();
        var expected = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            var e = await writer.AppendAsync(new AuditEntry(AuditEventTypes.ActionExecuted, AuditActor.Agent("ag_x"), "ag_x", "run-x", new() { ["note"] = i % 2 == 0 ? "pagination marmalade" : "other" }), CancellationToken.None);
            if (i % 2 == 0)
            {
                expected.Insert(0, e.Sequence);
            }
        }

        var client = _host.CreateClientAs("sam@example.com");
        var seen = new List<long>();
        var path = "/api/audit?order=desc&limit=2&q=Marmalade";
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(path);
            seen.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
            await writer.AppendAsync(new AuditEntry(AuditEventTypes.ActionExecuted, AuditActor.System, null, null, new() { ["note"] = "marmalade, newer" }), CancellationToken.None);
            if (page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            path = $"/api/audit?order=desc&limit=2&q=Marmalade&before={page.GetProperty("nextCursor").GetInt64()}";
        }

        seen.ShouldBe(expected);
    }

    [Theory]
    [InlineData("person=alice", "person")]
    [InlineData("person=user:", "person")]
    [InlineData("person=a%20b@example.com", "person")]
    [InlineData("agent=", null)]
    [InlineData("function=%00", null)]
    [InlineData("runId=%00&q=x", null)]
    [InlineData("person=%00a@example.com", null)]
    [InlineData("rule=%F0%9F%92%A5&decision=%C3%A9", null)]
    [InlineData("order=newest", "order")]
    [InlineData("before=5", "before")]
    [InlineData("order=desc&after=5", "after")]
    [InlineData("before=-1&order=desc", "before")]
    public async Task BadValues_Are400NamingTheField(string query, string? field)
    {
        var response = await _host.CreateClientAs("sam@example.com").GetAsync("/api/audit?" + query);

        if (field is null)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, "an empty or odd value finds nothing, it is no error");
            return;
        }

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
    }

    [Theory]
    [InlineData("q", 501)]
    [InlineData("function", 257)]
    [InlineData("decision", 257)]
    [InlineData("rule", 257)]
    [InlineData("agent", 257)]
    public async Task OverlongValues_Are400NamingTheField_OnTheApiAndThePage(string field, int length)
    {
        var client = _host.CreateClientAs("sam@example.com");
        var value = new string('x', length);

        var api = await client.GetAsync($"/api/audit?{field}={value}");
        var page = await client.GetAsync($"/audit?{field}={value}");
        var justRight = await client.GetAsync($"/api/audit?{field}={value[1..]}");

        api.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await page.Content.ReadAsStringAsync()).ShouldContain($"id=\"{field}-error\"");
        justRight.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ThePage_ShowsTheSearch_AndItsExportCarriesTheFilters()
    {
        var seeded = await SeedAsync();
        var client = _host.CreateClientAs("sam@example.com");

        var html = await client.GetStringAsync("/audit?q=zanzibar&person=&function=Probe.Deploy");
        var csv = await client.GetStringAsync("/api/audit/export?format=csv&q=zanzibar&function=Probe.Deploy");

        html.ShouldContain($"data-seq=\"{seeded[4]}\"");
        html.ShouldContain($"data-seq=\"{seeded[2]}\"");
        html.ShouldNotContain($"data-seq=\"{seeded[0]}\"");
        html.ShouldContain("q=zanzibar&amp;function=Probe.Deploy");
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(3);
        (await client.GetAsync("/audit?person=nobody")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    /// <summary>Six events with words and values no other event of the host holds; their seqs in order.</summary>
    private async Task<long[]> SeedAsync()
    {
        var agents = _host.Services.GetRequiredService<AgentStore>();
        var bot = await agents.CreateAsync("alice@example.com", new AgentDefinition("Search Probe Bot", null, "x", null, [], new Dictionary<string, IReadOnlyList<string>>(), null, null), CancellationToken.None);
        var writer = _host.Services.GetRequiredService<AuditLogWriter>();
        var entries = new AuditEntry[]
        {
            new(AuditEventTypes.ActionRequested, AuditActor.Agent(bot.Id), bot.Id, "run-s1", new() { ["function"] = "probe.post", ["arguments"] = new JsonObject { ["text"] = "Zanzibar is green" } }),
            new(AuditEventTypes.RunQueued, AuditActor.Employee("Quinn.Search@Example.com"), bot.Id, "run-s1", new() { ["note"] = "started by hand" }),
            new(AuditEventTypes.ActionRequested, AuditActor.Agent(bot.Id), bot.Id, "run-s2", new() { ["function"] = "probe.deploy", ["arguments"] = new JsonObject { ["environment"] = "Zanzibar deploy PRODUCTION" }, ["argumentsSha256"] = new string('a', 64) }),
            new(AuditEventTypes.ApprovalDecided, AuditActor.Approver("quinn.search@example.com"), bot.Id, "run-s2", new() { ["decision"] = "Approve" }),
            new(AuditEventTypes.PolicyDecided, AuditActor.System, "ag_other", "run-s3", new() { ["function"] = "Probe.Deploy", ["decision"] = "deny", ["rules"] = new JsonArray("freeze-zanzibar"), ["environment"] = "production" }),
            new(AuditEventTypes.ActionRequested, AuditActor.Agent(bot.Id), bot.Id, "run-s1", new() { ["text"] = "Zürich — 東京" }),
        };
        var seqs = new long[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            seqs[i] = (await writer.AppendAsync(entries[i], CancellationToken.None)).Sequence;
        }

        return seqs;
    }

    private static async Task<long[]> SeqsAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/audit?order=desc&" + query);
        return [.. page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64())];
    }

    public void Dispose() => _host.Dispose();
}
