using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Audit.Overview;
using AgentHost.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Host;

/// <summary>
/// GET /api/audit/overview and /security over a trail written through the host's own audit log and real
/// runs, on a clock the test owns so that events fall on the UTC days the test chooses.
/// </summary>
public sealed class SecurityOverviewTests : RunHostTest
{
    /// <summary>Midnight (UTC) ten days before today: the test's clock starts here and only goes forward.</summary>
    private static readonly DateTimeOffset Start = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-10);

    private static DateOnly Today => DateOnly.FromDateTime(Start.AddDays(10).UtcDateTime);

    [Fact]
    public async Task Overview_CountsDecisionsByOutcomeRuleAgentAndDay_Exactly()
    {
        var clock = new FakeTimeProvider(Start.AddHours(12));
        using var host = new RunHostFactory(Model, Tools, time: clock);
        var mailer = await RunsApi.CreateAgentAsync(host);
        var audit = host.Services.GetRequiredService<IAuditLog>();
        await AppendAsync(audit, Decision("deny", mailer, "r-deny")); // day -10: before the period

        clock.SetUtcNow(Start.AddDays(4).AddHours(10)); // today - 6, the period's first day
        await AppendAsync(audit,
            Decision("allow", mailer, "r-allow"), Decision("allow", mailer, "r-allow"), Decision("allow", mailer, "r-allow"),
            Decision("deny", mailer, "r-deny", "r-allow"),
            Refusal(AuditEventTypes.AuthDenied, count: 4), Refusal(AuditEventTypes.SlackRequestRejected, count: null));
        clock.SetUtcNow(Start.AddDays(7).AddHours(23)); // today - 3
        await AppendAsync(audit,
            Decision("require_approval", "ag_other", "r-approve"), Decision("require_approval", "ag_other", "r-approve"),
            Decision("deny", "ag_gone", "r-deny"), Decision("maybe", "ag_gone"));
        clock.SetUtcNow(Start.AddDays(10).AddHours(9));

        var report = await OverviewAsync(host, "?days=7");

        report.Days.ShouldBe(7);
        report.From.ShouldBe(Start.AddDays(4));
        report.Decisions.ShouldBe(new DecisionCounts(Allow: 3, RequireApproval: 2, Deny: 2, Other: 1));
        report.Rules.Select(r => (r.Rule, r.Decisions.Total, r.Decisions.Deny)).ShouldBe([("r-allow", 4L, 1L), ("r-approve", 2L, 0L), ("r-deny", 2L, 2L)]);
        report.Agents.Select(a => (a.AgentId, a.Name, a.Decisions.Total)).ShouldBe([(mailer, "Ops helper", 4L), ("ag_gone", null, 2L), ("ag_other", null, 2L)]);
        report.DecisionsByDay.Select(d => d.Day).ShouldBe(Enumerable.Range(0, 7).Select(i => Today.AddDays(i - 6)));
        report.DecisionsByDay[0].Decisions.ShouldBe(new DecisionCounts(3, 0, 1, 0));
        report.DecisionsByDay[3].Decisions.ShouldBe(new DecisionCounts(0, 2, 1, 1));
        report.DecisionsByDay.Where((_, i) => i is not (0 or 3)).ShouldAllBe(d => d.Decisions.Total == 0);
        report.Denials.Select(d => d.Count).ShouldBe([1L, 0, 0, 1, 0, 0, 0]);
        report.RefusedRequests.Select(d => d.Count).ShouldBe([5L, 0, 0, 0, 0, 0, 0]);
        report.Denials.Concat(report.RefusedRequests).ShouldAllBe(d => !d.Spike);

        // One day: today only, where nothing was decided.
        var today = await OverviewAsync(host, "?days=1");
        today.DecisionsByDay.ShouldHaveSingleItem().Day.ShouldBe(Today);
        today.Decisions.Total.ShouldBe(0);
        today.Rules.ShouldBeEmpty();
    }

    [Fact]
    public async Task Overview_FlagsASpikeOfDenials_AndNotAFlatSeriesOfRefusals()
    {
        var clock = new FakeTimeProvider(Start.AddDays(4).AddHours(1));
        using var host = new RunHostFactory(Model, Tools, time: clock);
        var audit = host.Services.GetRequiredService<IAuditLog>();
        for (var day = 0; day < 7; day++)
        {
            clock.SetUtcNow(Start.AddDays(4 + day).AddHours(1));
            var denials = day == 6 ? 12 : 2;
            await AppendAsync(audit, [.. Enumerable.Range(0, denials).Select(_ => Decision("deny", "ag_busy", "r-deny")), Refusal(AuditEventTypes.AuthDenied, count: 10)]);
        }

        var report = await OverviewAsync(host, string.Empty);

        report.Days.ShouldBe(SecurityOverview.DefaultDays);
        report.Denials.Select(d => d.Count).ShouldBe([2L, 2, 2, 2, 2, 2, 12]);
        report.Denials.Select(d => d.Spike).ShouldBe([false, false, false, false, false, false, true]);
        report.RefusedRequests.Select(d => d.Count).ShouldAllBe(c => c == 10);
        report.RefusedRequests.ShouldAllBe(d => !d.Spike);
        var page = await host.CreateClientAs("sam@example.com").GetStringAsync("/security");
        page.ShouldContain($"<tr data-day=\"{Today:yyyy-MM-dd}\">");
        System.Text.RegularExpressions.Regex.Count(page, "data-spike=\"true\"").ShouldBe(1);
    }

    [Theory]
    [InlineData(12, new long[] { 2, 2, 2, 4, 1, 3 }, true)] // median 2: 12 >= 6
    [InlineData(12, new long[] { 4, 5, 5, 6 }, false)] // median 5: 12 < 15
    [InlineData(12, new long[] { 4, 4, 4 }, true)] // exactly 3 x the median counts
    [InlineData(13, new long[] { 3, 4, 5, 9 }, false)] // an even count's median is the mean of the middle two: 3 x 4.5 = 13.5
    [InlineData(14, new long[] { 3, 4, 5, 9 }, true)]
    [InlineData(9, new long[] { 0, 0, 0 }, false)] // under the floor of 10
    [InlineData(10, new long[] { 0, 0, 0 }, true)] // a first burst on a silent trail
    [InlineData(10, new long[] { 10, 10, 10 }, false)] // flat
    [InlineData(50, new long[0], false)] // a one-day period has nothing to compare with
    public void IsSpike_NeedsThreeTimesTheMedianOfTheOtherDays_AndAtLeastTen(long count, long[] others, bool spike) =>
        SecurityOverview.IsSpike(count, others).ShouldBe(spike);

    [Fact]
    public async Task Overview_ListsTheLongestWaitingApprovalsFirst_AndOnlyAgentsWithExternalWriteTools()
    {
        var clock = new FakeTimeProvider(Start.AddDays(9));
        using var host = new RunHostFactory(Model, Tools, time: clock);
        var (firstRun, firstApproval) = await RunsApi.ParkAsync(host, Model);
        clock.Advance(TimeSpan.FromHours(2));
        var (_, secondApproval) = await RunsApi.ParkAsync(host, Model);
        clock.Advance(TimeSpan.FromHours(1));
        var reader = await CreateAgentAsync(host, "Channel reader", ["slack.read_channel"]);
        var poster = await CreateAgentAsync(host, "Channel poster", ["slack.read_channel", "slack.post_message"]);
        (await host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{poster}/disable", new { reason = "test" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var report = await OverviewAsync(host, "?days=1");

        report.WaitingApprovals.Select(a => (a.Id, a.AgeSeconds, a.RequestedBy)).ShouldBe([(firstApproval, 3 * 3600L, "alice@example.com"), (secondApproval, 3600L, "alice@example.com")]);
        report.WaitingApprovals[0].RunId.ShouldBe(firstRun);
        report.WaitingApprovals[0].Function.ShouldBe("email.send");
        report.WaitingApprovals[0].AgentName.ShouldBe("Ops helper");
        report.WaitingApprovals[0].WaitingSince.ShouldBe(Start.AddDays(9));
        report.ExternalEffects.ShouldNotContain(a => a.AgentId == reader);
        report.ExternalEffects.Count(a => a.Status == "active" && a.Tools.Single() == new ExternalTool("email.send", "write")).ShouldBe(2);
        var disabled = report.ExternalEffects.Single(a => a.AgentId == poster);
        (disabled.Status, disabled.Owner, disabled.Name).ShouldBe(("disabled", "alice@example.com", "Channel poster"));
        disabled.Tools.ShouldBe([new ExternalTool("slack.post_message", "write")]);
        report.ExternalEffects[^1].AgentId.ShouldBe(poster); // disabled agents last
        report.Decisions.RequireApproval.ShouldBe(2); // the two parked calls, from the real runs
        report.Siem.ShouldBeEmpty();

        var page = await host.CreateClientAs("root@example.com").GetStringAsync("/security");
        page.IndexOf(firstApproval, StringComparison.Ordinal).ShouldBeLessThan(page.IndexOf(secondApproval, StringComparison.Ordinal));
        page.ShouldContain($"<tr data-agent=\"{poster}\">");
        page.ShouldNotContain($"data-agent=\"{reader}\"");
        page.ShouldContain("3 h 0 min");
    }

    [Theory]
    [InlineData("alice@example.com", HttpStatusCode.Forbidden)]
    [InlineData("bob@example.com", HttpStatusCode.Forbidden)]
    [InlineData("carol@example.com", HttpStatusCode.Forbidden)]
    [InlineData("sam@example.com", HttpStatusCode.OK)]
    [InlineData("root@example.com", HttpStatusCode.OK)]
    public async Task OverviewAndPage_AreForSecurityAndAdminOnly(string user, HttpStatusCode expected)
    {
        var client = Host.CreateClientAs(user);

        (await client.GetAsync("/api/audit/overview")).StatusCode.ShouldBe(expected);
        var page = await client.GetAsync("/security");
        page.StatusCode.ShouldBe(expected);
        var home = await client.GetStringAsync("/agents");
        home.Contains("href=\"/security\"", StringComparison.Ordinal).ShouldBe(expected == HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("91")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("7.5")]
    [InlineData("+7")]
    [InlineData("99999999999999999999999")]
    public async Task BadDays_Is400NamingTheField(string days)
    {
        var client = Host.CreateClientAs("sam@example.com");

        var response = await client.GetAsync($"/api/audit/overview?days={Uri.EscapeDataString(days)}");
        var page = await client.GetAsync($"/security?days={Uri.EscapeDataString(days)}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("days")[0].GetString().ShouldBe("must be a whole number from 1 to 90");
        page.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await page.Content.ReadAsStringAsync()).ShouldContain("id=\"days-error\"");
    }

    private static async Task<SecurityOverviewReport> OverviewAsync(AgentHostFactory host, string query)
    {
        var response = await host.CreateClientAs("sam@example.com").GetAsync($"/api/audit/overview{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SecurityOverviewReport>(JsonSerializerOptions.Web))!;
    }

    private static Task<IReadOnlyList<AuditEvent>> AppendAsync(IAuditLog audit, params AuditEntry[] entries) => audit.AppendAsync(entries, null, CancellationToken.None);

    private static AuditEntry Decision(string decision, string agentId, params string[] rules) =>
        new(AuditEventTypes.PolicyDecided, AuditActor.System, agentId, "run_x", new()
        {
            ["callId"] = "call_x",
            ["function"] = "email.send",
            ["decision"] = decision,
            ["rules"] = new JsonArray([.. rules.Select(r => JsonValue.Create(r))]),
            ["policyHash"] = "x",
        });

    private static AuditEntry Refusal(string type, int? count)
    {
        var data = new JsonObject { ["reason"] = "forbidden" };
        if (count is { } c)
        {
            data["count"] = c;
        }

        return new AuditEntry(type, AuditActor.System, Data: data);
    }

    private static async Task<string> CreateAgentAsync(AgentHostFactory host, string name, string[] tools)
    {
        var response = await host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name,
            instructions = "Watch #ops.",
            tools,
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
