using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;

namespace AgentHost.Tests.Slack;

/// <summary>
/// Reject in Slack asks why: the click opens a modal (views.open with the click's trigger), its
/// view_submission rejects with the reason, and the reason reaches the run, the owner and the audit.
/// Submissions that do not match the form opened for that approval and person are refused and audited.
/// </summary>
public sealed class SlackRejectReasonTests : SlackHostTest
{
    private const string Form = "application/x-www-form-urlencoded";

    [Fact]
    public async Task RejectClick_OpensTheReasonForm_AndTheReasonReachesTheRunTheOwnerAndTheAudit()
    {
        var (runId, approvalId) = await ParkAsync();
        Model.Enqueue(new ModelReply.Text("Not sending."));

        var click = await PostSignedAsync(Host, "/slack/interactivity", RejectClickBody("U0CAROL01", approvalId), Form);
        var opened = Slack.OpenedViews.ShouldHaveSingleItem();
        var stillParked = await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval");
        var submitted = await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened, "U0CAROL01", "  the partner is on holiday  "), Form);
        var run = await RunsApi.WaitForAsync(Host, runId);
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Count == 1, "the message shows the rejection");
        await EventuallyAsync(() => OwnerMessages().Count == 1, "alice is told by direct message");

        click.StatusCode.ShouldBe(HttpStatusCode.OK);
        Slack.CallsOf("views.open").ShouldHaveSingleItem().Ok.ShouldBeTrue();
        opened.View["private_metadata"]!.GetValue<string>().ShouldBe(approvalId);
        stillParked.GetProperty("status").GetString().ShouldBe("awaiting_approval", "the click alone decides nothing");
        submitted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await submitted.Content.ReadAsStringAsync()).ShouldNotContain("errors");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("rejected");
        Model.Requests.Last()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>().ShouldContain("rejected by carol@example.com (the partner is on holiday)");
        Slack.CallsOf("chat.update")[0].VisibleText.ShouldContain("carol@example.com rejected");
        Slack.CallsOf("chat.update")[0].VisibleText.ShouldContain("the partner is on holiday");
        OwnerMessages().Single().ShouldContain("rejected by carol@example.com: \"the partner is on holiday\"");
        var decided = (await AuditAsync(runId, "approval.decided")).ShouldHaveSingleItem();
        decided.GetProperty("data").GetProperty("comment").GetString().ShouldBe("the partner is on holiday");
        decided.GetProperty("actor").GetString().ShouldBe("approver:carol@example.com");
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnEmptyReason_KeepsTheFormOpen_WithAnError_AndDecidesNothing()
    {
        var (runId, approvalId) = await ParkAsync();
        await PostSignedAsync(Host, "/slack/interactivity", RejectClickBody("U0BOB0001", approvalId), Form);
        var opened = Slack.OpenedViews.ShouldHaveSingleItem();

        var blank = await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened, "U0BOB0001", " \n "), Form);
        var missing = await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened, "U0BOB0001", null), Form);

        foreach (var answer in new[] { blank, missing })
        {
            answer.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
            body.GetProperty("response_action").GetString().ShouldBe("errors");
            body.GetProperty("errors").GetProperty("reason").GetString()!.ShouldContain("Say why");
        }

        (await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
        (await PendingVotesAsync(approvalId)).ShouldBe(0);

        // The same form, now with a reason, still counts: an error is no submission.
        Model.Enqueue(new ModelReply.Text("Not sending."));
        (await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened, "U0BOB0001", "wrong recipient"), Form)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RunsApi.WaitForAsync(Host, runId)).GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("rejected");
    }

    [Fact]
    public async Task EditedReplayedOrBorrowedSubmissions_AreRefusedAndAudited_AndCountNothing()
    {
        var (runId, approvalId) = await ParkAsync();
        var (_, otherApproval) = await RunsApi.ParkAsync(Host, Model, "alice@example.com", call: new ToolCall("email-send", RunsApi.ExternalMail, "call_other"));
        await PostSignedAsync(Host, "/slack/interactivity", RejectClickBody("U0CAROL01", approvalId), Form);
        var opened = Slack.OpenedViews.ShouldHaveSingleItem();

        // carol's form edited to name the other approval; carol's form submitted by bob; a view never opened.
        var edited = await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened, "U0CAROL01", "no", privateMetadata: otherApproval), Form);
        var borrowed = await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened, "U0BOB0001", "no"), Form);
        var invented = await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened with { Id = "V99999999" }, "U0CAROL01", "no"), Form);
        Model.Enqueue(new ModelReply.Text("Not sending."));
        var real = await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened, "U0CAROL01", "not this week"), Form);
        var replayed = await PostSignedAsync(Host, "/slack/interactivity", Slack.ViewSubmissionBody(opened, "U0CAROL01", "changed my mind"), Form);
        var run = await RunsApi.WaitForAsync(Host, runId);

        edited.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        borrowed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        invented.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        real.StatusCode.ShouldBe(HttpStatusCode.OK);
        replayed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("rejected");
        (await PendingVotesAsync(otherApproval)).ShouldBe(0, "the edited form must not touch the approval it names");
        var approval = (await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == approvalId);
        approval.GetProperty("votes").EnumerateArray().ShouldHaveSingleItem().GetProperty("comment").GetString().ShouldBe("not this week");
        var denied = await AuditAsync(runId, "auth.denied");
        denied.Count.ShouldBe(4, "the edited, borrowed, invented and replayed submissions all concern this approval");
        denied.Select(d => d.GetProperty("data").GetProperty("reason").GetString()).ShouldContain(r => r!.Contains("replayed", StringComparison.Ordinal));
        denied.ShouldContain(d => d.GetProperty("actor").GetString() == "employee:bob@example.com");
    }

    [Fact]
    public async Task TheOwnersRejectClick_OpensNoForm_AndIsRefusedPrivately()
    {
        var (runId, approvalId) = await ParkAsync();

        await PostSignedAsync(Host, "/slack/interactivity", RejectClickBody("U0ALICE01", approvalId), Form);
        await PostSignedAsync(Host, "/slack/interactivity", RejectClickBody("U0DAVE001", approvalId), Form);
        await EventuallyAsync(() => Slack.CallsOf("chat.postEphemeral").Count == 2, "both are answered privately");

        Slack.CallsOf("views.open").ShouldBeEmpty();
        var answers = Slack.CallsOf("chat.postEphemeral").ToDictionary(c => c.Arguments["user"]!.GetValue<string>(), c => c.Arguments["text"]!.GetValue<string>());
        answers["U0ALICE01"].ShouldContain("owner cannot approve or reject");
        answers["U0DAVE001"].ShouldContain("only members of team-leads");
        (await AuditAsync(runId, "auth.denied")).Count.ShouldBe(2);
        (await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
    }

    [Fact]
    public async Task AnExpiredTrigger_OpensNoForm_DecidesNothing_AndSaysSo()
    {
        var (runId, approvalId) = await ParkAsync();
        var trigger = Slack.IssueTrigger("U0CAROL01");
        Slack.TriggerClock.Advance(TimeSpan.FromSeconds(4));

        await PostSignedAsync(Host, "/slack/interactivity", RejectClickBody("U0CAROL01", approvalId, trigger), Form);

        Slack.CallsOf("views.open").ShouldHaveSingleItem().Response["error"]!.GetValue<string>().ShouldBe("expired_trigger_id");
        Slack.OpenedViews.ShouldBeEmpty();
        Slack.CallsOf("chat.postEphemeral").ShouldHaveSingleItem().Arguments["text"]!.GetValue<string>().ShouldContain("nothing was decided");
        (await PendingVotesAsync(approvalId)).ShouldBe(0);
        (await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
    }

    private string RejectClickBody(string slackUser, string approvalId, string? trigger = null) =>
        "payload=" + Uri.EscapeDataString($$"""
            {"type":"block_actions","trigger_id":"{{trigger ?? Slack.IssueTrigger(slackUser)}}","user":{"id":"{{slackUser}}","username":"x"},"channel":{"id":"{{ApprovalChannel}}"},"container":{"type":"message","message_ts":"1764000001.000100"},"actions":[{"action_id":"approval_reject","block_id":"approval","value":"{{approvalId}}","type":"button"}]}
            """);

    private List<string> OwnerMessages() =>
        [.. Slack.CallsOf("chat.postMessage").Where(c => c.Arguments["channel"]?.GetValue<string>() == "U0ALICE01").Select(c => c.Arguments["text"]!.GetValue<string>())];

    private async Task<int> PendingVotesAsync(string approvalId) =>
        (await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == approvalId).GetProperty("votes").GetArrayLength();

    private async Task<List<JsonElement>> AuditAsync(string runId, string type) =>
        [.. (await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type={type}&runId={runId}")).GetProperty("events").EnumerateArray()];

    private Task<(string RunId, string ApprovalId)> ParkAsync() => RunsApi.ParkAsync(Host, Model, "alice@example.com");
}
