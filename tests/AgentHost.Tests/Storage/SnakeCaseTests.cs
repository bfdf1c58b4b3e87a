using System.Text.Json;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;

namespace AgentHost.Tests.Storage;

/// <summary>The status enums have one text form, for the store, the API and the audit trail: the strings stored before they were enums.</summary>
public sealed class SnakeCaseTests
{
    [Fact]
    public void RunStatus_IsStoredAsTheWordsOfTheApi() =>
        Enum.GetValues<RunStatus>().Select(s => s.ToText()).ShouldBe(["queued", "running", "awaiting_approval", "succeeded", "failed", "stopped"]);

    [Fact]
    public void ToolCallOutcome_IsStoredAsBefore() =>
        Enum.GetValues<ToolCallOutcome>().Select(s => s.ToText()).ShouldBe(["proposed", "requested", "awaiting_approval", "executed", "failed", "outcome_unknown", "denied", "cancelled", "rejected", "expired", "dry_run"]);

    [Fact]
    public void ApprovalStatus_IsStoredAsBefore() =>
        Enum.GetValues<ApprovalStatus>().Select(s => s.ToText()).ShouldBe(["pending", "approved", "rejected", "expired", "cancelled"]);

    [Fact]
    public void EveryMember_RoundTrips_ThroughTextAndJson()
    {
        RoundTrips<RunStatus>();
        RoundTrips<ToolCallOutcome>();
        RoundTrips<ApprovalStatus>();
    }

    [Theory]
    [InlineData("paused")]
    [InlineData("Running")]
    [InlineData("AwaitingApproval")]
    [InlineData("")]
    public void UnknownText_FailsLoudly(string text)
    {
        Should.Throw<InvalidDataException>(() => SnakeCase.Parse<RunStatus>(text)).Message.ShouldContain("awaiting_approval");
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<RunStatus>(JsonSerializer.Serialize(text)));
    }

    [Fact]
    public async Task AnUnknownStoredStatus_FailsLoudly_WhenTheRunIsRead()
    {
        var database = await TestStore.CreateAsync();
        var agent = await new AgentStore(database, TimeProvider.System).CreateAsync("alice@example.com", new AgentDefinition("Triage", null, "triage", null, [], null, null, null), CancellationToken.None);
        var runs = new RunStore(database, TimeProvider.System);
        var run = await runs.CreateAsync(agent.Id, "bob@example.com", "hello", CancellationToken.None);
        await database.ExecuteAsync("UPDATE runs SET status = 'paused' WHERE id = @id", new { id = run.Id }, CancellationToken.None);

        var error = await Should.ThrowAsync<InvalidDataException>(() => runs.GetAsync(run.Id, CancellationToken.None));

        error.Message.ShouldContain("'paused' is no RunStatus");
    }

    private static void RoundTrips<TEnum>()
        where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            SnakeCase.Parse<TEnum>(value.ToText()).ShouldBe(value);
            JsonSerializer.Serialize(value).ShouldBe($"\"{value.ToText()}\"");
            JsonSerializer.Deserialize<TEnum>(JsonSerializer.Serialize(value)).ShouldBe(value);
        }
    }
}
