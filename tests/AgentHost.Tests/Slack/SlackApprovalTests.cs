using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Approvals;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Slack;

/// <summary>Approvals signed off with Slack buttons, end to end through the host, Hangfire and the Slack emulator.</summary>
public sealed class SlackApprovalTests : SlackHostTest
{
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green <!channel> ```x``` api_key=sk-live-0123456789abcdefghijklmn\"}";

    [Fact]
    public async Task ApprovalMessage_ShowsWhatIsAsked_AndTheButtons()
    {
        var (_, approvalId) = await ParkAsync(Host);

        var post = await ApprovalPostAsync();
        post.Arguments["channel"]!.GetValue<string>().ShouldBe(ApprovalChannel);
        var text = post.VisibleText;
        text.ShouldContain("Approval needed: email.send");
        text.ShouldContain("Ops helper");
        text.ShouldContain("alice@example.com");
        text.ShouldContain("email-send-external-needs-approval");
        text.ShouldContain("1 more of team-leads (0 of 1)");
        text.ShouldContain("may not decide: alice@example.com (owner, requester, started the run)");
        text.ShouldContain("ops@partner.test");
        text.ShouldContain("&lt;!channel&gt;", customMessage: "a value must not ping the channel");
        text.ShouldNotContain("```x```", customMessage: "a value must not close the code block");
        text.ShouldNotContain("sk-live-0123456789abcdefghijklmn");
        var buttons = post.Arguments["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray();
        buttons.Select(b => b!["action_id"]!.GetValue<string>()).ShouldBe(["approval_approve", "approval_reject"]);
        buttons.ShouldAllBe(b => b!["value"]!.GetValue<string>() == approvalId);
    }

    [Fact]
    public async Task ApproveButton_ResumesTheRun_ExecutesOnce_AndUpdatesTheMessage()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        var post = await ApprovalPostAsync();
        Model.Enqueue(new ModelReply.Text("Sent the status mail."));

        var click = await PostSignedAsync(Host, "/slack/interactivity", ClickBody("U0BOB0001", approvalId, approve: true), "application/x-www-form-urlencoded");
        var run = await RunsApi.WaitForAsync(Host, runId);
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Any(u => u.VisibleText.Contains("Approved: email.send", StringComparison.Ordinal)), "the message shows the approval");
        var doubleClick = await PostSignedAsync(Host, "/slack/interactivity", ClickBody("U0BOB0001", approvalId, approve: true), "application/x-www-form-urlencoded");
        await EventuallyAsync(() => Slack.CallsOf("chat.postEphemeral").Count == 1, "the second click is answered privately");

        click.StatusCode.ShouldBe(HttpStatusCode.OK);
        doubleClick.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
        var update = Slack.CallsOf("chat.update")[^1];
        update.Ok.ShouldBeTrue(update.Response.ToJsonString());
        update.Arguments["ts"]!.GetValue<string>().ShouldBe(post.Response["ts"]!.GetValue<string>());
        update.VisibleText.ShouldContain("bob@example.com approved");
        update.Arguments["blocks"]!.AsArray().ShouldNotContain(b => b!["type"]!.GetValue<string>() == "actions", "a settled approval has no buttons");
        var ephemeral = Slack.CallsOf("chat.postEphemeral").Single().Arguments;
        ephemeral["user"]!.GetValue<string>().ShouldBe("U0BOB0001");
        ephemeral["text"]!.GetValue<string>().ShouldContain("no longer pending");
        Tools.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TwoApprovalsNeeded_TheMessageCountsThemDown()
    {
        var policies = Path.Combine(Host.DataDirectory, "policies");
        Directory.CreateDirectory(policies);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "policies"), "*.yaml"))
        {
            File.WriteAllText(Path.Combine(policies, Path.GetFileName(file)), File.ReadAllText(file).Replace("approval: { group: team-leads, count: 1, timeout: 24h }", "approval: { group: team-leads, count: 2, timeout: 24h }", StringComparison.Ordinal));
        }

        using var host = new SlackHostFactory(Model, Slack, Tools, policies: policies);
        var (runId, approvalId) = await ParkAsync(host);
        await ApprovalPostAsync();
        Model.Enqueue(new ModelReply.Text("Sent."));

        await PostSignedAsync(host, "/slack/interactivity", ClickBody("U0BOB0001", approvalId, approve: true), "application/x-www-form-urlencoded");
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Count == 1, "the first approval is shown");
        var afterOne = await RunsApi.WaitForAsync(host, runId, until: "awaiting_approval");
        await PostSignedAsync(host, "/slack/interactivity", ClickBody("U0CAROL01", approvalId, approve: true), "application/x-www-form-urlencoded");
        var run = await RunsApi.WaitForAsync(host, runId);
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Count == 2, "the second approval is shown");

        afterOne.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        var first = Slack.CallsOf("chat.update")[0].VisibleText;
        first.ShouldContain("1 more of team-leads (1 of 2)");
        Slack.CallsOf("chat.update")[0].Arguments["blocks"]!.AsArray().ShouldContain(b => b!["type"]!.GetValue<string>() == "actions", "still pending: the buttons stay");
        var second = Slack.CallsOf("chat.update")[1].VisibleText;
        second.ShouldContain("carol@example.com approved");
        second.ShouldContain("Approved: email.send");
        run.GetProperty("status").GetString().ShouldBe("succeeded");
        Tools.Calls.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task ClicksThatMustNotCount_AreAnsweredPrivately_AndChangeNothing()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        await ApprovalPostAsync();

        // dave is not a team lead, alice owns the agent, the stranger is not in the directory, and one approval does not exist.
        foreach (var body in new[]
        {
            ClickBody("U0DAVE001", approvalId, approve: true),
            ClickBody("U0ALICE01", approvalId, approve: true),
            ClickBody("U0STRANGER", approvalId, approve: true),
            ClickBody("U0BOB0001", "ap_doesnotexist0", approve: true),
        })
        {
            (await PostSignedAsync(Host, "/slack/interactivity", body, "application/x-www-form-urlencoded")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await EventuallyAsync(() => Slack.CallsOf("chat.postEphemeral").Count == 4, "four private answers");
        var answers = Slack.CallsOf("chat.postEphemeral").ToDictionary(c => c.Arguments["user"]!.GetValue<string>(), c => c.Arguments["text"]!.GetValue<string>());
        answers["U0DAVE001"].ShouldContain("only members of team-leads");
        answers["U0ALICE01"].ShouldContain("owner cannot approve");
        answers["U0STRANGER"].ShouldContain("not linked");
        answers["U0BOB0001"].ShouldContain("no such approval");
        var approval = await Host.CreateClientAs("bob@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        approval.EnumerateArray().Single(a => a.GetProperty("id").GetString() == approvalId).GetProperty("votes").GetArrayLength().ShouldBe(0);
        (await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval")).GetProperty("status").GetString().ShouldBe("awaiting_approval");
        Slack.CallsOf("chat.update").ShouldBeEmpty();
        Tools.Calls.ShouldBeEmpty();
        (await RunsApi.AuditTypesAsync(Host, runId)).Count(t => t == "auth.denied").ShouldBe(2);
    }

    [Fact]
    public async Task Expiry_UpdatesTheMessage_AndALateClickIsRefused()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var host = new SlackHostFactory(Model, Slack, Tools, time: clock);
        var (runId, approvalId) = await ParkAsync(host);
        await ApprovalPostAsync();
        Model.Enqueue(new ModelReply.Text("Nobody approved; not sent."));

        clock.Advance(TimeSpan.FromHours(25));
        await host.Services.GetRequiredService<ApprovalExpiry>().ExpireAsync(approvalId, CancellationToken.None);
        var run = await RunsApi.WaitForAsync(host, runId);
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Count == 1, "the message shows the expiry");
        await PostSignedAsync(host, "/slack/interactivity", ClickBody("U0BOB0001", approvalId, approve: true), "application/x-www-form-urlencoded", at: clock.GetUtcNow());
        await EventuallyAsync(() => Slack.CallsOf("chat.postEphemeral").Count == 1, "the late click is answered");

        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("expired");
        Slack.CallsOf("chat.update")[0].VisibleText.ShouldContain("Expired: email.send");
        Slack.CallsOf("chat.postEphemeral")[0].Arguments["text"]!.GetValue<string>().ShouldContain("no longer pending");
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task RejectButton_TellsTheAgent_AndShowsWhoRejected()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        await ApprovalPostAsync();
        Model.Enqueue(new ModelReply.Text("Not sending."));

        await PostSignedAsync(Host, "/slack/interactivity", ClickBody("U0CAROL01", approvalId, approve: false), "application/x-www-form-urlencoded");
        var run = await RunsApi.WaitForAsync(Host, runId);
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Count == 1, "the message shows the rejection");

        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("rejected");
        var blocks = Slack.CallsOf("chat.update")[0].VisibleText;
        blocks.ShouldContain("carol@example.com rejected");
        blocks.ShouldContain("Rejected: email.send");
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task KillSwitch_WhileParked_TakesTheButtonsAway()
    {
        var (runId, approvalId) = await ParkAsync(Host);
        await ApprovalPostAsync();
        var agentId = (await RunsApi.WaitForAsync(Host, runId, until: "awaiting_approval")).GetProperty("agentId").GetString();

        (await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agentId}/disable", new { reason = "wrong partner" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Count == 1, "the message shows the cancellation");
        await PostSignedAsync(Host, "/slack/interactivity", ClickBody("U0BOB0001", approvalId, approve: true), "application/x-www-form-urlencoded");
        await EventuallyAsync(() => Slack.CallsOf("chat.postEphemeral").Count == 1, "the click after the kill switch is answered");

        var update = Slack.CallsOf("chat.update")[0];
        update.VisibleText.ShouldContain("Cancelled: email.send");
        update.Arguments["blocks"]!.AsArray().ShouldNotContain(b => b!["type"]!.GetValue<string>() == "actions");
        Slack.CallsOf("chat.postEphemeral")[0].Arguments["text"]!.GetValue<string>().ShouldContain("no longer pending");
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task DirectMessages_GoToEachEligibleApprover_NotTheOwner_AndAllCopiesAreUpdated()
    {
        using var host = new SlackHostFactory(Model, Slack, Tools, extra: new() { ["Slack:DirectMessageApprovers"] = "true" });
        var (runId, approvalId) = await ParkAsync(host, owner: "bob@example.com");
        await ApprovalPostAsync();
        await EventuallyAsync(() => Slack.CallsOf("chat.postMessage").Count == 2, "the channel and carol's DM");
        Model.Enqueue(new ModelReply.Text("Sent."));

        await PostSignedAsync(host, "/slack/interactivity", ClickBody("U0CAROL01", approvalId, approve: true, channel: "D0CAROL01"), "application/x-www-form-urlencoded");
        await RunsApi.WaitForAsync(host, runId, owner: "bob@example.com");
        await EventuallyAsync(() => Slack.CallsOf("chat.update").Count == 2, "both copies updated");

        await EventuallyAsync(() => Slack.CallsOf("chat.postMessage").Any(c => c.Arguments["channel"]?.GetValue<string>() == "U0BOB0001"), "bob, the owner, is told");
        Slack.CallsOf("chat.postMessage").Where(c => c.Arguments["blocks"] is not null).Select(c => c.Arguments["channel"]!.GetValue<string>()).ShouldBe([ApprovalChannel, "U0CAROL01"], ignoreOrder: true);
        Slack.CallsOf("chat.postMessage").Single(c => c.Arguments["channel"]?.GetValue<string>() == "U0BOB0001").Arguments["text"]!.GetValue<string>().ShouldContain("approved by carol@example.com");
        Slack.CallsOf("chat.update").Select(c => c.Arguments["channel"]!.GetValue<string>()).ShouldBe([ApprovalChannel, "D0CAROL01"], ignoreOrder: true);
        Slack.CallsOf("chat.update").ShouldAllBe(c => c.Ok);
        Tools.Calls.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task AnApprovalNeverPosted_IsPostedWhenTheHostStartsAgain()
    {
        var data = Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"));
        string approvalId;
        using (var withoutSlack = new RunHostFactory(Model, Tools, dataDirectory: data))
        {
            (_, approvalId) = await ParkAsync(withoutSlack);
        }

        using var restarted = new SlackHostFactory(Model, Slack, Tools, dataDirectory: data) { OwnsData = true };
        _ = restarted.Server;
        var post = await ApprovalPostAsync();

        post.Arguments["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]![0]!["value"]!.GetValue<string>().ShouldBe(approvalId);
        Slack.CallsOf("chat.postMessage").Count.ShouldBe(1);
    }

    [Fact]
    public async Task TheWebInbox_NeverShowsACredentialFromTheArguments()
    {
        await ParkAsync(Host);

        var inbox = await Host.CreateClientAs("bob@example.com").GetStringAsync("/api/approvals?status=pending");

        inbox.ShouldContain("ops@partner.test");
        inbox.ShouldNotContain("sk-live-0123456789abcdefghijklmn");
    }

    private async Task<SlackCall> ApprovalPostAsync()
    {
        await EventuallyAsync(() => Slack.CallsOf("chat.postMessage").Any(c => c.Arguments["channel"]?.GetValue<string>() == ApprovalChannel), "the approval is posted to Slack");
        var post = Slack.CallsOf("chat.postMessage").Single(c => c.Arguments["channel"]?.GetValue<string>() == ApprovalChannel);
        post.Ok.ShouldBeTrue(post.Response.ToJsonString());
        return post;
    }

    private Task<(string RunId, string ApprovalId)> ParkAsync(AgentHostFactory host, string owner = "alice@example.com") =>
        RunsApi.ParkAsync(host, Model, owner, call: new ToolCall("email-send", ExternalMail, "call_mail"));

}
