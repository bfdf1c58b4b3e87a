using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>
/// The whole conversation is in the trail: every message sent to the model and its reply, each tool
/// result in full, the output; content is committed to by its event's leaf, and verification catches a
/// changed or silently removed piece.
/// </summary>
public sealed class ConversationTrailTests : RunHostTest
{
    private const string Secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly string LongResult = "status of C0OPS: " + string.Join(" ", Enumerable.Range(0, 400).Select(i => $"line{i}")) + " token " + Secret;

    [Fact]
    public async Task Run_TheTrailHoldsWhatTheModelWasSentAndAnswered_TheFullToolResult_AndTheOutput()
    {
        var (runId, _) = await RunWithLongResultAsync();

        var conversation = await Host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/conversation");

        var turns = conversation.GetProperty("turns").EnumerateArray().ToList();
        turns.Count.ShouldBe(2, conversation.ToString());

        // What the model was sent, message for message, is what the emulator received.
        turns[0].GetProperty("sent").GetInt32().ShouldBe(Model.Requests.ElementAt(0)["messages"]!.AsArray().Count);
        turns[1].GetProperty("sent").GetInt32().ShouldBe(Model.Requests.ElementAt(1)["messages"]!.AsArray().Count);
        var first = turns[0].GetProperty("newMessages").EnumerateArray().ToList();
        first.ShouldContain(m => m.GetProperty("role").GetString() == "user" && m.GetProperty("text").GetString() == "How is the deploy?");
        var call = turns[0].GetProperty("reply").GetProperty("calls").EnumerateArray().ShouldHaveSingleItem();
        call.GetProperty("function").GetString().ShouldBe("slack.read_channel");
        call.GetProperty("arguments").GetString()!.ShouldContain("C0OPS");

        // Turn 2 sent the tool's answer: in full (not the 300-character summary), redacted.
        var tool = turns[1].GetProperty("newMessages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        var sentResult = tool.GetProperty("results")[0].GetProperty("result");
        sentResult.GetProperty("state").GetString().ShouldBe("held");
        sentResult.GetProperty("text").GetString()!.ShouldContain("line399");
        sentResult.GetProperty("text").GetString()!.ShouldNotContain(Secret);
        turns[1].GetProperty("reply").GetProperty("text").GetString().ShouldBe("Deploy is green.");

        var executed = conversation.GetProperty("toolResults").EnumerateArray().ShouldHaveSingleItem();
        executed.GetProperty("result").GetProperty("sha256").GetString().ShouldBe(sentResult.GetProperty("sha256").GetString());
        conversation.GetProperty("output").GetProperty("text").GetString().ShouldBe("Deploy is green.");
    }

    [Fact]
    public async Task NoSecret_ReachesTheStoredContent()
    {
        await RunWithLongResultAsync();

        var database = Host.Services.GetRequiredService<StoreDatabase>();
        var bodies = await database.QueryAsync<byte[]>("SELECT body FROM audit_content WHERE body IS NOT NULL", null, CancellationToken.None);
        bodies.Count.ShouldBeGreaterThan(3);
        bodies.Select(b => Encoding.UTF8.GetString(AuditContent.Decompress(b, 64 * 1024 * 1024))).ShouldAllBe(text => !text.Contains(Secret));
    }

    [Fact]
    public async Task Verify_HoldsForAnUntouchedTrail_AndRehashesTheContent()
    {
        await RunWithLongResultAsync();

        var verify = await VerifyAsync();

        verify.GetProperty("valid").GetBoolean().ShouldBeTrue(verify.ToString());
        verify.GetProperty("content").GetProperty("checked").GetInt64().ShouldBeGreaterThan(3);
        verify.GetProperty("content").GetProperty("removedUnderRetention").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Verify_FindsAChangedToolResult_AndNamesTheEventThatCommitsToIt()
    {
        var (runId, resultHash) = await RunWithLongResultAsync();
        var forged = AuditContent.Compress(Encoding.UTF8.GetBytes(LongResult.Replace("line7 ", "lineX ", StringComparison.Ordinal)));
        var database = Host.Services.GetRequiredService<StoreDatabase>();
        (await database.ExecuteAsync("UPDATE audit_content SET body = @forged WHERE sha256 = @resultHash", new { forged, resultHash }, CancellationToken.None)).ShouldBe(1);

        var verify = await VerifyAsync();

        verify.GetProperty("valid").GetBoolean().ShouldBeFalse(verify.ToString());
        verify.GetProperty("reason").GetString()!.ShouldContain("no longer hashes");
        var executed = await FirstEventAsync(runId, "action.executed");
        verify.GetProperty("firstInvalidSeq").GetInt64().ShouldBe(executed);
    }

    [Fact]
    public async Task Verify_FindsContentEmptiedWithoutARetentionEvent()
    {
        var (_, resultHash) = await RunWithLongResultAsync();
        var database = Host.Services.GetRequiredService<StoreDatabase>();
        await database.ExecuteAsync("UPDATE audit_content SET body = NULL WHERE sha256 = @resultHash", new { resultHash }, CancellationToken.None);

        var verify = await VerifyAsync();

        verify.GetProperty("valid").GetBoolean().ShouldBeFalse(verify.ToString());
        verify.GetProperty("reason").GetString()!.ShouldContain("no content.removed event");
    }

    [Fact]
    public async Task TheStore_RefusesToDeleteContent_OrToRenameIt()
    {
        var (_, resultHash) = await RunWithLongResultAsync();
        var database = Host.Services.GetRequiredService<StoreDatabase>();

        await Should.ThrowAsync<Exception>(() => database.ExecuteAsync("DELETE FROM audit_content WHERE sha256 = @resultHash", new { resultHash }, CancellationToken.None));
        await Should.ThrowAsync<Exception>(() => database.ExecuteAsync("UPDATE audit_content SET sha256 = @other WHERE sha256 = @resultHash", new { resultHash, other = new string('0', 64) }, CancellationToken.None));
        (await database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_content WHERE sha256 = @resultHash AND body IS NOT NULL", new { resultHash }, CancellationToken.None)).ShouldBe(1);
    }

    [Fact]
    public async Task Conversation_IsShownToWhoeverMaySeeTheRun_AndRefusedToOthers()
    {
        var (runId, _) = await RunWithLongResultAsync();

        (await Host.CreateClientAs("dave@example.com").GetAsync($"/api/runs/{runId}/conversation")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Host.CreateClientAs("bob@example.com").GetAsync($"/api/runs/{runId}/conversation")).StatusCode.ShouldBe(HttpStatusCode.OK, "alice's manager sees her runs");
        (await Host.CreateClientAs("alice@example.com").GetAsync($"/api/runs/{runId.ToUpperInvariant()}x/conversation")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ThePages_ShowTheConversation_FromTheTrail()
    {
        var (runId, resultHash) = await RunWithLongResultAsync();

        var runPage = await Host.CreateClientAs("alice@example.com").GetStringAsync($"/runs/{runId}");
        runPage.ShouldContain("id=\"conversation\"");
        runPage.ShouldContain("line399");
        runPage.ShouldContain($"data-sha256=\"{resultHash}\"");
        runPage.ShouldNotContain(Secret);

        var executed = await FirstEventAsync(runId, "action.executed");
        var eventPage = await Host.CreateClientAs("sam@example.com").GetStringAsync($"/audit/events/{executed}");
        eventPage.ShouldContain("id=\"event-content\"");
        eventPage.ShouldContain("line399");
    }

    private async Task<(string RunId, string ResultHash)> RunWithLongResultAsync()
    {
        Tools.Answer = invocation => invocation.Function == "slack.read_channel" ? new ToolResult(true, LongResult, Untrusted: true) : null;
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_read")]),
            new ModelReply.Text("Deploy is green."));
        var run = await RunsApi.RunToEndAsync(Host, agent, "How is the deploy?");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var runId = run.GetProperty("id").GetString()!;
        var conversation = await Host.CreateClientAs("alice@example.com").GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/conversation");
        var result = conversation.GetProperty("toolResults")[0].GetProperty("result");
        result.GetProperty("text").GetString()!.Length.ShouldBeGreaterThan(2000);
        return (runId, result.GetProperty("sha256").GetString()!);
    }

    private async Task<JsonElement> VerifyAsync() =>
        await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit/verify");

    private async Task<long> FirstEventAsync(string runId, string type)
    {
        var page = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}&type={type}");
        return page.GetProperty("events")[0].GetProperty("seq").GetInt64();
    }
}
