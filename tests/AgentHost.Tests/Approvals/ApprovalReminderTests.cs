using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Approvals;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using AgentHost.Tests.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Approvals;

/// <summary>
/// The approver's loop over time, on a fake clock the sweeper is woken to read: one reminder half way to
/// those who have not decided, sent once whoever sweeps and across a restart; on expiry the fallback group
/// named by `escalate_to` takes over once, with a fresh window; the owner is told by direct message.
/// </summary>
public sealed class ApprovalReminderTests : SlackHostTest
{
    private const string TeamLeads = "approval: { group: team-leads, count: 1, timeout: 24h }";

    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());

    [Fact]
    public async Task HalfWay_OnlyTheUndecidedAreReminded_Once()
    {
        using var host = Factory(TeamLeads.Replace("count: 1", "count: 2", StringComparison.Ordinal));
        var (runId, approvalId) = await RunsApi.ParkAsync(host, Model);
        (await host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await AdvanceAsync(host, TimeSpan.FromHours(11));
        var early = Reminders().Count;
        await AdvanceAsync(host, TimeSpan.FromHours(1));
        await EventuallyAsync(() => Reminders().Count == 1, "carol is reminded");
        await AdvanceAsync(host, TimeSpan.FromHours(1));
        await AdvanceAsync(host, TimeSpan.FromHours(10));

        early.ShouldBe(0);
        var reminder = Reminders().ShouldHaveSingleItem();
        reminder.Arguments["channel"]!.GetValue<string>().ShouldBe("U0CAROL01", "bob decided already; alice owns the agent");
        reminder.VisibleText.ShouldContain("expires in 12 h");
        reminder.Arguments["blocks"]!.AsArray().ShouldContain(b => b!["type"]!.GetValue<string>() == "actions", "the reminder can be acted on");
        (await RunsApi.AuditTypesAsync(host, runId)).Count(t => t == "approval.reminded").ShouldBe(1);
    }

    [Fact]
    public async Task SeveralWorkersSweepingAtOnce_SendOneReminder()
    {
        using var host = Factory(TeamLeads);
        var (runId, approvalId) = await RunsApi.ParkAsync(host, Model);
        var expiry = host.Services.GetRequiredService<ApprovalExpiry>();

        _clock.Advance(TimeSpan.FromHours(13));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => expiry.RemindAsync(approvalId, CancellationToken.None))).Append(Sweeper(host).Wake()));
        await EventuallyAsync(() => Reminders().Count == 2, "bob and carol are reminded");
        await Sweeper(host).Wake().WaitAsync(Eventually.Budget);

        Reminders().Select(r => r.Arguments["channel"]!.GetValue<string>()).ShouldBe(["U0BOB0001", "U0CAROL01"], ignoreOrder: true);
        (await RunsApi.AuditTypesAsync(host, runId)).Count(t => t == "approval.reminded").ShouldBe(1);
    }

    [Fact]
    public async Task TheReminder_SurvivesARestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"));
        string runId;
        using (var before = new RunHostFactory(Model, Tools, dataDirectory: data, time: _clock))
        {
            (runId, _) = await RunsApi.ParkAsync(before, Model);
        }

        _clock.Advance(TimeSpan.FromHours(13));
        using var after = new SlackHostFactory(Model, Slack, Tools, time: _clock, dataDirectory: data) { OwnsData = true };
        await Sweeper(after).Wake().WaitAsync(Eventually.Budget);
        await EventuallyAsync(() => Reminders().Count == 2, "bob and carol are reminded after the restart");

        (await RunsApi.AuditTypesAsync(after, runId)).Count(t => t == "approval.reminded").ShouldBe(1);
    }

    [Fact]
    public async Task OnExpiry_TheFallbackGroupTakesOver_WithAFreshWindow_AndDecides()
    {
        using var host = Factory(TeamLeads.Replace(" }", ", escalate_to: security-approvers }", StringComparison.Ordinal));
        var (runId, approvalId) = await RunsApi.ParkAsync(host, Model);
        await EventuallyAsync(() => Slack.CallsOf("chat.postMessage").Any(c => c.Arguments["channel"]?.GetValue<string>() == ApprovalChannel), "the request is posted");

        await AdvanceAsync(host, TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await EventuallyAsync(() => Escalations().Count == 2 && OwnerMessages().Count == 1, "security's approvers and the owner are told");
        var approval = await ApprovalAsync(host, approvalId);
        var bob = await host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        Model.Enqueue(new ModelReply.Text("Sent."));
        var sam = await host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var run = await RunsApi.WaitForAsync(host, runId);
        await EventuallyAsync(() => OwnerMessages().Count == 2, "the owner is told of the approval");
        var settled = await ApprovalAsync(host, approvalId);

        approval.GetProperty("status").GetString().ShouldBe("pending");
        approval.GetProperty("group").GetString().ShouldBe("security-approvers");
        approval.GetProperty("escalateTo").GetString().ShouldBe("security-approvers");
        approval.GetProperty("escalatedAt").GetDateTimeOffset().ShouldBe(_clock.GetUtcNow(), TimeSpan.FromSeconds(1));
        approval.GetProperty("decidedAt").ValueKind.ShouldBe(JsonValueKind.Null, "still pending");
        var mayDecide = approval.GetProperty("mayDecide").EnumerateArray().ShouldHaveSingleItem();
        mayDecide.GetProperty("group").GetString().ShouldBe("security-approvers");
        mayDecide.GetProperty("people").EnumerateArray().Select(p => p.GetString()).ShouldBe(["carol@example.com", "sam@example.com"], ignoreOrder: true);
        settled.GetProperty("decidedAt").GetDateTimeOffset().ShouldBe(_clock.GetUtcNow(), TimeSpan.FromSeconds(1));
        settled.GetProperty("mayDecide")[0].GetProperty("people").GetArrayLength().ShouldBe(0, "nobody decides a settled approval");
        approval.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(_clock.GetUtcNow() + TimeSpan.FromHours(24), TimeSpan.FromSeconds(1));
        Escalations().Select(e => e.Arguments["channel"]!.GetValue<string>()).ShouldBe(["U0SAM0001", "U0CAROL01"], ignoreOrder: true);
        Slack.CallsOf("chat.update").ShouldContain(u => u.VisibleText.Contains("Escalated to security-approvers", StringComparison.Ordinal));
        OwnerMessages()[0].ShouldContain("now waits for security-approvers");
        bob.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "team-leads had their window");
        sam.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        Tools.Calls.ShouldHaveSingleItem();
        OwnerMessages()[1].ShouldContain("approved by sam@example.com");
        var escalated = (await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=approval.escalated&runId={runId}")).GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        escalated.GetProperty("data").GetProperty("from").GetString().ShouldBe("team-leads");
        escalated.GetProperty("data").GetProperty("to").GetString().ShouldBe("security-approvers");
    }

    [Fact]
    public async Task AnEscalatedRequest_IsNotEscalatedAgain_ItExpires()
    {
        using var host = Factory(TeamLeads.Replace(" }", ", escalate_to: security-approvers }", StringComparison.Ordinal));
        var (runId, _) = await RunsApi.ParkAsync(host, Model);
        Model.Enqueue(new ModelReply.Text("Nobody approved; not sent."));

        await AdvanceAsync(host, TimeSpan.FromHours(25));
        await AdvanceAsync(host, TimeSpan.FromHours(25));
        var run = await RunsApi.WaitForAsync(host, runId);
        await EventuallyAsync(() => OwnerMessages().Count == 2, "the owner is told of the escalation and the expiry");

        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("expired");
        var types = await RunsApi.AuditTypesAsync(host, runId);
        types.Count(t => t == "approval.escalated").ShouldBe(1);
        types.Count(t => t == "approval.expired").ShouldBe(1);
        OwnerMessages()[1].ShouldContain("nobody decided before it expired");
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task WithoutAFallbackGroup_ItExpiresAsBefore()
    {
        using var host = Factory(TeamLeads);
        var (runId, _) = await RunsApi.ParkAsync(host, Model);
        Model.Enqueue(new ModelReply.Text("Nobody approved; not sent."));

        await AdvanceAsync(host, TimeSpan.FromHours(25));
        var run = await RunsApi.WaitForAsync(host, runId);

        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("expired");
        (await RunsApi.AuditTypesAsync(host, runId)).ShouldNotContain("approval.escalated");
        Escalations().ShouldBeEmpty();
    }

    private SlackHostFactory Factory(string approval)
    {
        var policies = Path.Combine(Host.DataDirectory, "policies-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(policies);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "policies"), "*.yaml"))
        {
            File.WriteAllText(Path.Combine(policies, Path.GetFileName(file)), File.ReadAllText(file).Replace(TeamLeads, approval, StringComparison.Ordinal));
        }

        return new SlackHostFactory(Model, Slack, Tools, time: _clock, policies: policies);
    }

    /// <summary>Moves the clock, then waits for a sweep that saw the new time.</summary>
    private async Task AdvanceAsync(AgentHostFactory host, TimeSpan by)
    {
        _clock.Advance(by);
        await Sweeper(host).Wake().WaitAsync(Eventually.Budget);
    }

    private static ApprovalExpirySweeper Sweeper(AgentHostFactory host) =>
        host.Services.GetServices<IHostedService>().OfType<ApprovalExpirySweeper>().Single();

    private static async Task<JsonElement> ApprovalAsync(AgentHostFactory host, string approvalId) =>
        (await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == approvalId);

    private List<SlackCall> Reminders() => [.. Slack.CallsOf("chat.postMessage").Where(c => c.VisibleText.Contains("Reminder: approval needed", StringComparison.Ordinal))];

    private List<SlackCall> Escalations() => [.. Slack.CallsOf("chat.postMessage").Where(c => c.VisibleText.Contains("Escalated to you", StringComparison.Ordinal))];

    private List<string> OwnerMessages() =>
        [.. Slack.CallsOf("chat.postMessage").Where(c => c.Arguments["channel"]?.GetValue<string>() == "U0ALICE01").Select(c => c.Arguments["text"]!.GetValue<string>())];
}
