using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;

namespace AgentHost.Tests.Slack;

/// <summary>
/// The colleague who asked for a run in Slack cannot approve its risky action with Slack's buttons; with
/// two matching rules the message goes to both groups and counts each down.
/// </summary>
public sealed class SlackSeparationOfDutiesTests : SlackHostTest
{
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";

    [Fact]
    public async Task Requester_WhoMentionedTheBot_ClickingApprove_IsRefusedPrivately_AndAudited()
    {
        // carol, a team lead, asks alice's agent in #ops to mail the partner; then approves it herself.
        var runId = await MentionParkAsync(Host, "U0CAROL01", "Ev0100");
        var approvalId = (await PendingAsync(Host)).Single(a => a.GetProperty("runId").GetString() == runId).GetProperty("id").GetString()!;
        await EventuallyAsync(() => Slack.CallsOf("chat.postMessage").Any(c => c.Arguments["channel"]?.GetValue<string>() == ApprovalChannel), "the approval is posted");
        Model.Enqueue(new ModelReply.Text("Sent."));

        var click = await PostSignedAsync(Host, "/slack/interactivity", ClickBody("U0CAROL01", approvalId, approve: true), "application/x-www-form-urlencoded");
        await EventuallyAsync(() => Slack.CallsOf("chat.postEphemeral").Count == 1, "carol is answered privately");
        var parked = await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval");
        var posted = Slack.CallsOf("chat.postMessage").Single(c => c.Arguments["channel"]?.GetValue<string>() == ApprovalChannel).VisibleText;
        await PostSignedAsync(Host, "/slack/interactivity", ClickBody("U0BOB0001", approvalId, approve: true), "application/x-www-form-urlencoded");
        var run = await RunsApi.WaitForAsync(Host, runId);

        click.StatusCode.ShouldBe(HttpStatusCode.OK);
        var ephemeral = Slack.CallsOf("chat.postEphemeral").Single().Arguments;
        ephemeral["user"]!.GetValue<string>().ShouldBe("U0CAROL01");
        ephemeral["text"]!.GetValue<string>().ShouldContain("the run's requester cannot approve");
        parked.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        posted.ShouldContain("carol@example.com (requester, started the run)");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
        var denied = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=auth.denied&runId={runId}");
        var refusal = denied.GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        refusal.GetProperty("actor").GetString().ShouldBe("employee:carol@example.com");
        refusal.GetProperty("data").GetProperty("reason").GetString()!.ShouldContain("requester");
    }

    [Fact]
    public async Task TwoGroups_TheMessageGoesToBoth_AndCountsEachDown()
    {
        var policies = ApprovalGroupTests.TwoGroupPolicies(Host.DataDirectory);
        using var host = new SlackHostFactory(Model, Slack, Tools, policies: policies, extra: new() { ["Slack:DirectMessageApprovers"] = "true" });
        var runId = await MentionParkAsync(host, "U0DAVE001", "Ev0200");
        var approvalId = (await PendingAsync(host)).Single(a => a.GetProperty("runId").GetString() == runId).GetProperty("id").GetString()!;

        // team-leads: bob, carol; security-approvers: sam, carol. alice owns, dave asked: neither is told.
        await EventuallyAsync(() => Slack.CallsOf("chat.postMessage").Count(c => c.Arguments["thread_ts"] is null) == 4, "the channel and three approvers");
        Model.Enqueue(new ModelReply.Text("Sent."));
        await PostSignedAsync(host, "/slack/interactivity", ClickBody("U0SAM0001", approvalId, approve: true), "application/x-www-form-urlencoded");
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Count == 4, "every copy shows sam's approval");
        var afterSam = Slack.CallsOf("chat.update")[0].VisibleText;
        var parked = await RunsApi.WaitForAsync(host, runId, until: "awaiting_approval");
        await PostSignedAsync(host, "/slack/interactivity", ClickBody("U0BOB0001", approvalId, approve: true), "application/x-www-form-urlencoded");
        var run = await RunsApi.WaitForAsync(host, runId);

        // The run's answer in the mention's thread (C0OPS) may already be there too; approvals are not threaded.
        // The approval's copies (with blocks); alice, the owner, is also told the outcome in a plain DM.
        Slack.CallsOf("chat.postMessage").Where(c => c.Arguments["thread_ts"] is null && c.Arguments["blocks"] is not null).Select(c => c.Arguments["channel"]!.GetValue<string>()).ShouldBe([ApprovalChannel, "U0BOB0001", "U0CAROL01", "U0SAM0001"], ignoreOrder: true);
        var first = Slack.CallsOf("chat.postMessage")[0].VisibleText;
        first.ShouldContain("1 more of team-leads (0 of 1)");
        first.ShouldContain("1 more of security-approvers (0 of 1)");
        first.ShouldContain("dave@example.com (requester, started the run)");
        afterSam.ShouldContain("1 more of team-leads (0 of 1)");
        afterSam.ShouldContain("security-approvers done (1 of 1)");
        parked.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem();
    }

    private static async Task<List<JsonElement>> PendingAsync(AgentHostFactory host) =>
        [.. (await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending")).EnumerateArray()];

    /// <summary>alice's agent answers mentions in #ops; <paramref name="slackUser"/> asks it to mail the partner, which parks.</summary>
    private async Task<string> MentionParkAsync(AgentHostFactory host, string slackUser, string eventId)
    {
        var response = await host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Partner mailer",
            instructions = "Mail the partner what people in #ops ask you to.",
            tools = new[] { "email.send" },
            scopes = new Dictionary<string, string[]> { ["email.recipientDomains"] = ["partner.test"] },
            triggers = new { slackMention = new { channels = new[] { "C0OPS" } } },
            budgets = new { tokensPerRun = 50_000, tokensPerDay = 1_000_000, maxTurns = 5, maxConcurrentRuns = 2 },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var agentId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", ExternalMail, "call_mail")]));
        var asked = Slack.Seed("C0OPS", slackUser, "<@U0AGENTBOT> mail the partner our status");
        var mention = Event(eventId, "app_mention", slackUser, "C0OPS", asked, "<@U0AGENTBOT> mail the partner our status");
        (await PostSignedAsync(host, "/slack/events", mention, "application/json")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var requested = await Eventually.ReturnsAsync(
            async () => (await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=approval.requested&agentId={agentId}")).GetProperty("events").EnumerateArray().FirstOrDefault(),
            e => e.ValueKind == JsonValueKind.Object,
            "the mention's run asks for approval");
        return requested.GetProperty("runId").GetString()!;
    }
}
