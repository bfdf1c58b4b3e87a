using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Storage;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>
/// Retention removes content and keeps the proofs: verification still holds and says what was removed;
/// a legal hold keeps an agent's or a run's content; holds are placed and released by security only, audited.
/// </summary>
public sealed class ContentRetentionTests : RunHostTest
{
    private static readonly ContentRetentionOptions NinetyDays = new() { Model = TimeSpan.FromDays(90), ToolResult = TimeSpan.FromDays(90), Output = TimeSpan.FromDays(90) };

    [Fact]
    public async Task Retention_RemovesOldContent_AuditsIt_AndVerificationStillHolds()
    {
        var runId = await RunAsync();

        var removed = await SweepAsync(TimeSpan.FromDays(91));

        removed.ShouldBeGreaterThan(3);
        var verify = await Security.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        verify.GetProperty("valid").GetBoolean().ShouldBeTrue(verify.ToString());
        verify.GetProperty("content").GetProperty("removedUnderRetention").GetInt64().ShouldBe(removed);
        var conversation = await Alice.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/conversation");
        conversation.GetProperty("output").GetProperty("state").GetString().ShouldBe("removed");
        conversation.GetProperty("turns")[0].GetProperty("reply").GetProperty("content").GetProperty("state").GetString().ShouldBe("removed");
        var events = await Security.GetFromJsonAsync<JsonElement>("/api/audit?type=content.removed");
        events.GetProperty("events").EnumerateArray().Sum(e => e.GetProperty("data").GetProperty("hashes").GetArrayLength()).ShouldBe(removed);
    }

    [Fact]
    public async Task ContentYoungerThanItsRetention_OrOfAKindWithoutOne_Stays()
    {
        await RunAsync();

        (await SweepAsync(TimeSpan.FromDays(89))).ShouldBe(0);
        (await Sweeper.SweepAsync(new ContentRetentionOptions { ToolResult = TimeSpan.FromDays(90) }, Now.AddDays(91), CancellationToken.None)).ShouldBe(1);
        (await Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_content WHERE body IS NULL AND kind <> 'tool_result'", null, CancellationToken.None)).ShouldBe(0);
    }

    [Fact]
    public async Task AHeldRun_KeepsItsContent_UntilTheHoldIsReleased()
    {
        var held = await RunAsync("Keep this one");
        var other = await RunAsync("Not this one");
        var placed = await Security.PostAsJsonAsync("/api/audit/holds", new { target = "run", targetId = held, reason = "litigation 2026-17" });
        placed.StatusCode.ShouldBe(HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        var hold = await placed.Content.ReadFromJsonAsync<JsonElement>();

        await SweepAsync(TimeSpan.FromDays(91));

        (await OutputStateAsync(held)).ShouldBe("held");
        (await OutputStateAsync(other)).ShouldBe("removed");
        var heldTurns = (await Alice.GetFromJsonAsync<JsonElement>($"/api/runs/{held}/conversation")).GetProperty("turns");
        heldTurns.EnumerateArray().SelectMany(t => t.GetProperty("newMessages").EnumerateArray()).ShouldAllBe(m => m.GetProperty("content").GetProperty("state").GetString() == "held");

        (await Security.PostAsync($"/api/audit/holds/{hold.GetProperty("id").GetString()}/release", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await SweepAsync(TimeSpan.FromDays(91));

        (await OutputStateAsync(held)).ShouldBe("removed");
        var types = await RunsApi.AuditTypesAsync(Host, held);
        types.ShouldContain("legal_hold.placed");
        types.ShouldContain("legal_hold.released");
        (await Security.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("valid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task AHeldAgent_KeepsEveryRunsContent()
    {
        var runId = await RunAsync();
        var agentId = (await Alice.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}")).GetProperty("agentId").GetString();
        (await Security.PostAsJsonAsync("/api/audit/holds", new { target = "agent", targetId = agentId, reason = "investigation" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await SweepAsync(TimeSpan.FromDays(91))).ShouldBe(0);

        (await OutputStateAsync(runId)).ShouldBe("held");
    }

    [Fact]
    public async Task Holds_ArePlacedOnlyBySecurity_OnTargetsThatExist_WithAReason()
    {
        var runId = await RunAsync();

        (await Alice.PostAsJsonAsync("/api/audit/holds", new { target = "run", targetId = runId, reason = "mine" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Alice.GetAsync("/api/audit/holds")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await ShouldBeRefusedAsync(new { target = "run", targetId = runId.ToUpperInvariant(), reason = "x" }, "targetId");
        await ShouldBeRefusedAsync(new { target = "run", targetId = runId + " ", reason = "x" }, "targetId");
        await ShouldBeRefusedAsync(new { target = "agent", targetId = runId, reason = "x" }, "targetId");
        await ShouldBeRefusedAsync(new { target = "Run", targetId = runId, reason = "x" }, "target");
        await ShouldBeRefusedAsync(new { target = "tenant", targetId = runId, reason = "x" }, "target");
        await ShouldBeRefusedAsync(new { target = "run", targetId = runId, reason = "   " }, "reason");
        await ShouldBeRefusedAsync(new { target = "run", targetId = "", reason = "x" }, "targetId");
        (await Security.PostAsync("/api/audit/holds/hold_nope/release", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Security.GetFromJsonAsync<JsonElement>("/api/audit/holds")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task PlacingTheSameHoldTwice_KeepsOneHold_AndReleasingTwiceIsRefused()
    {
        var runId = await RunAsync();
        var first = await (await Security.PostAsJsonAsync("/api/audit/holds", new { target = "run", targetId = runId, reason = "a" })).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await Security.PostAsJsonAsync("/api/audit/holds", new { target = "run", targetId = runId, reason = "b" })).Content.ReadFromJsonAsync<JsonElement>();

        second.GetProperty("id").GetString().ShouldBe(first.GetProperty("id").GetString());
        var id = first.GetProperty("id").GetString();
        (await Security.PostAsync($"/api/audit/holds/{id}/release", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Security.PostAsync($"/api/audit/holds/{id}/release", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private HttpClient Alice => Host.CreateClientAs("alice@example.com");

    private HttpClient Security => Host.CreateClientAs("sam@example.com");

    private DateTimeOffset Now => Host.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    private StoreDatabase Database => Host.Services.GetRequiredService<StoreDatabase>();

    private ContentRetention Sweeper => Host.Services.GetRequiredService<ContentRetention>();

    private Task<int> SweepAsync(TimeSpan later) => Sweeper.SweepAsync(NinetyDays, Now + later, CancellationToken.None);

    private async Task ShouldBeRefusedAsync(object body, string field)
    {
        var response = await Security.PostAsJsonAsync("/api/audit/holds", body);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body.ToString());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(body.ToString());
    }

    private async Task<string> OutputStateAsync(string runId) =>
        (await Alice.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/conversation")).GetProperty("output").GetProperty("state").GetString()!;

    private async Task<string> RunAsync(string input = "How is the deploy?")
    {
        var agent = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}")]),
            new ModelReply.Text($"Answer to: {input}"));
        var run = await RunsApi.RunToEndAsync(Host, agent, input);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        return run.GetProperty("id").GetString()!;
    }
}
