using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Runs;

/// <summary>
/// "Test run": the model and the gate decide as in a real run, reads execute, and every write or
/// destructive call is recorded as what would have happened; nothing reaches Slack, GitHub or mail.
/// </summary>
public sealed class DryRunTests : FormHostTest
{
    [Fact]
    public async Task DryRun_DecidesEveryWrite_ExecutesOnlyReads_AndNothingLeavesTheHost()
    {
        var agent = await CreateReleaseAgentAsync();
        Model.Enqueue(
            new ModelReply.ToolCalls([
                new ToolCall("slack-read_channel", JsonSerializer.Serialize(new { channel = Releases }), "call_read"),
                Deploy("staging", "call_staging"),
                Deploy("PRODUCTION", "call_prod"),
                Deploy("qa", "call_qa"),
                new ToolCall("slack-post_message", JsonSerializer.Serialize(new { channel = Releases, text = "Shipped main" }), "call_post"),
                new ToolCall("email-send", JsonSerializer.Serialize(new { to = new[] { "ops@partner.test" }, subject = "shipped", body = "main is out" }), "call_mail"),
            ]),
            new ModelReply.Text("Shipped main to staging and production."));
        var slackCallsBefore = Slack.Calls.Count;

        var started = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "Ship main everywhere", dryRun = true });
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var run = await RunsApi.WaitForAsync(Host, runId);

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("dryRun").GetBoolean().ShouldBeTrue();
        var calls = run.GetProperty("toolCalls").EnumerateArray().ToDictionary(c => c.GetProperty("function").GetString()! + " " + c.GetProperty("arguments").GetString(), c => (Outcome: c.GetProperty("outcome").GetString(), Result: c.GetProperty("resultSummary").GetString()));
        calls.Count.ShouldBe(6, run.ToString());
        calls.Single(c => c.Key.StartsWith("slack.read_channel", StringComparison.Ordinal)).Value.Outcome.ShouldBe("executed");
        calls.Single(c => c.Key.Contains("staging", StringComparison.Ordinal)).Value.ShouldBe(("dry_run", "would execute"));
        calls.Single(c => c.Key.Contains("production", StringComparison.Ordinal)).Value.ShouldBe(("dry_run", "would need approval by deploy-approvers"));
        calls.Single(c => c.Key.Contains("\"qa\"", StringComparison.Ordinal)).Value.Result.ShouldStartWith("would be denied:");
        calls.Single(c => c.Key.StartsWith("slack.post_message", StringComparison.Ordinal)).Value.ShouldBe(("dry_run", "would execute"));
        calls.Single(c => c.Key.StartsWith("email.send", StringComparison.Ordinal)).Value.ShouldBe(("dry_run", "would need approval by team-leads"));

        // Nothing left the host: no deployment, no Slack message (no approval card either), no mail.
        Web.Deployments.ShouldBeEmpty();
        GitHub.Calls.ShouldNotContain(c => c.Method != "GET");
        Slack.Calls.Skip(slackCallsBefore).Select(c => c.Method).ShouldBe(["conversations.history"]);
        Mail.Calls.ShouldBeEmpty();
        (await Host.CreateClientAs("bob@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending")).EnumerateArray().ShouldBeEmpty();

        // The model was told what would have happened, and the trail says it was a dry run.
        var told = string.Join("\n", Model.Requests.Last()["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["content"]!.GetValue<string>()));
        told.ShouldContain("dry run (a test): nothing was done; in a real run this call would need approval by deploy-approvers");
        var types = await RunsApi.AuditTypesAsync(Host, runId);
        types.Count(t => t == "action.dry_run").ShouldBe(5);
        types.ShouldNotContain("approval.requested");
        types.Count(t => t == "action.executed").ShouldBe(1);
        var queued = (await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}&type=run.queued")).GetProperty("events").EnumerateArray().First(e => e.GetProperty("type").GetString() == "run.queued");
        queued.GetProperty("data").GetProperty("dryRun").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task ARealRunOfTheSameAgent_StillParks_AndIsNotMarked()
    {
        var agent = await CreateReleaseAgentAsync();
        Model.Enqueue(new ModelReply.ToolCalls([Deploy("production", "call_prod")]));

        var run = await RunsApi.RunToEndAsync(Host, agent, "Ship main to production", until: "awaiting_approval");

        run.GetProperty("status").GetString().ShouldBe("awaiting_approval", run.ToString());
        run.GetProperty("dryRun").GetBoolean().ShouldBeFalse();
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("awaiting_approval");
    }

    [Theory]
    [InlineData("dave@example.com", HttpStatusCode.NotFound)]
    [InlineData("bob@example.com", HttpStatusCode.Forbidden)]
    public async Task ADryRun_IsStartedOnlyByWhoeverMayRunTheAgent(string caller, HttpStatusCode status)
    {
        var agent = await CreateReleaseAgentAsync();

        var started = await Host.CreateClientAs(caller).PostAsJsonAsync($"/api/agents/{agent}/runs", new { input = "Ship", dryRun = true });

        started.StatusCode.ShouldBe(status);
    }
}
