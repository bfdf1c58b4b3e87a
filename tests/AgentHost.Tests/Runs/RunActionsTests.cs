using AgentHost.Core.Agents;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using AgentHost.Runs;
using AgentHost.Tests.Storage;

namespace AgentHost.Tests.Runs;

/// <summary>
/// A run carries its calls counted by outcome, read in the same query as the run: a list of runs stays
/// one store command however many runs and calls it shows, and the counts are those of the calls.
/// </summary>
public sealed class RunActionsTests
{
    private static readonly ToolCallOutcome[] Every = Enum.GetValues<ToolCallOutcome>();

    [Fact]
    public async Task EveryOutcome_IsCountedUnderItsOwnName_InTheRunAsRead()
    {
        var (database, agentId) = await StoreAsync();
        var runs = new RunStore(database, TimeProvider.System);
        var run = await runs.CreateAsync(agentId, "alice@example.com", "ship it", CancellationToken.None);
        foreach (var (outcome, i) in Every.Select((o, i) => (o, i)))
        {
            // Two of each, so a count that reads another outcome's column or counts once shows.
            await runs.RecordToolCallAsync(Call(run.Id, $"call_{i}_a", outcome), CancellationToken.None);
            await runs.RecordToolCallAsync(Call(run.Id, $"call_{i}_b", outcome), CancellationToken.None);
        }

        var actions = (await runs.GetAsync(run.Id, CancellationToken.None))!.Actions;

        actions.ShouldBe(new RunActions(Executed: 2, Failed: 2, Denied: 2, Rejected: 2, Expired: 2, OutcomeUnknown: 2, Cancelled: 2, Pending: 6, DryRun: 2));
        actions.Total.ShouldBe(Every.Length * 2);
        actions.AllExecuted.ShouldBeFalse();
    }

    [Fact]
    public async Task RunList_CountsEachRunsCalls_InOneQuery()
    {
        var (database, agentId) = await StoreAsync();
        var runs = new RunStore(database, TimeProvider.System);
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var run = await runs.CreateAsync(agentId, "alice@example.com", $"run {i}", CancellationToken.None);
            ids.Add(run.Id);
            for (var c = 0; c < i % 4; c++)
            {
                await runs.RecordToolCallAsync(Call(run.Id, $"call_{c}", c == 2 ? ToolCallOutcome.Rejected : ToolCallOutcome.Executed), CancellationToken.None);
            }
        }

        var counting = new CountingDatabase(database);
        var listed = await new RunStore(counting, TimeProvider.System).ListForAgentsAsync([agentId], RunStore.MaxListed, CancellationToken.None);

        counting.Commands.ShouldBe(1);
        listed.Count.ShouldBe(25);
        foreach (var run in listed)
        {
            var calls = int.Parse(run.Input[4..], System.Globalization.CultureInfo.InvariantCulture) % 4;
            run.Actions.Executed.ShouldBe(Math.Min(calls, 2), run.Input);
            run.Actions.Rejected.ShouldBe(calls == 3 ? 1 : 0, run.Input);
        }
    }

    [Fact]
    public void Outcome_IsThePlainStatus_OnlyWhenEveryActionExecuted()
    {
        var run = new Run("run_1", "ag_1", "alice@example.com", "deploy", RunStatus.Succeeded, 2, 10, 10, "Deployed main to production", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        RunOutcome.Text(run).ShouldBe("succeeded");
        RunOutcome.Text(run with { Actions = RunActions.None with { Executed = 2 } }).ShouldBe("succeeded");
        RunOutcome.Text(run with { Actions = RunActions.None with { Rejected = 1 } }).ShouldBe("succeeded; 1 of 1 action not executed (1 rejected)");
        RunOutcome.Text(run with { Actions = RunActions.None with { Executed = 1, Denied = 1, Cancelled = 2 } }).ShouldBe("succeeded; 3 of 4 actions not executed (1 denied, 2 cancelled)");
    }

    private static ToolCallRecord Call(string runId, string callId, ToolCallOutcome outcome) =>
        new(runId, 1, callId, "deploy.create_deployment", "{}", "allow", [], outcome, null);

    private static async Task<(StoreDatabase Database, string AgentId)> StoreAsync()
    {
        var database = await TestStore.CreateAsync();
        var agent = await new AgentStore(database, TimeProvider.System).CreateAsync("alice@example.com", new AgentDefinition("Release", null, "ship", null, [], null, null, null), CancellationToken.None);
        return (database, agent.Id);
    }
}
