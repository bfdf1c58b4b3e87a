using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;

namespace AgentHost.Tests.Storage;

/// <summary>Lists load with joins: the number of store commands does not grow with the rows they show.</summary>
public sealed class StoreQueryTests
{
    private const int Approvals = 30;

    [Fact]
    public async Task ApprovalList_WithVotesOnEveryApproval_IsOneQuery_AndCarriesEveryVote()
    {
        var (database, runId) = await ParkedRunWithApprovalsAsync();
        var counting = new CountingDatabase(database);
        var store = new ApprovalStore(counting, TimeProvider.System);

        var listed = await store.ListAsync(null, CancellationToken.None);

        counting.Commands.ShouldBe(1);
        listed.Count.ShouldBe(Approvals);
        listed.ShouldAllBe(a => a.Votes.Count == 2 && a.Requester == "bob@example.com" && a.RunId == runId);
        listed.Select(a => a.CreatedAt).ShouldBeInOrder(SortDirection.Descending);
    }

    [Fact]
    public async Task Inbox_GetsEachApprovalWithTheAgentNameAndTheRequest_InOneQuery()
    {
        var (database, _) = await ParkedRunWithApprovalsAsync();
        var counting = new CountingDatabase(database);

        var inbox = await new ApprovalStore(counting, TimeProvider.System).ListWithContextAsync(ApprovalStatus.Pending, CancellationToken.None);

        counting.Commands.ShouldBe(1);
        inbox.Count.ShouldBe(Approvals);
        inbox.ShouldAllBe(l => l.AgentName == "Triage" && l.RunInput == "sort the inbox" && l.Approval.Votes.Count == 2);
    }

    [Fact]
    public async Task RunPage_GetsEveryApprovalOfTheRun_InOneQuery()
    {
        var (database, runId) = await ParkedRunWithApprovalsAsync();
        var counting = new CountingDatabase(database);

        var approvals = await new ApprovalStore(counting, TimeProvider.System).ForRunAsync(runId, CancellationToken.None);

        counting.Commands.ShouldBe(1);
        approvals.Select(a => a.CallId).Order(StringComparer.Ordinal).ShouldBe(Enumerable.Range(0, Approvals).Select(i => $"call_{i:D2}"));
    }

    [Fact]
    public async Task AgentsOfAReport_AreReadInOneQuery_AndMissingOnesAreLeftOut()
    {
        var database = await TestStore.CreateAsync();
        var agents = new AgentStore(database, TimeProvider.System);
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await agents.CreateAsync("alice@example.com", new AgentDefinition($"Agent {i}", null, "x", null, [], null, null, null), CancellationToken.None)).Id);
        }

        var counting = new CountingDatabase(database);
        var found = await new AgentStore(counting, TimeProvider.System).GetManyAsync([.. ids, "ag_gone"], CancellationToken.None);

        counting.Commands.ShouldBe(1);
        found.Keys.Order(StringComparer.Ordinal).ShouldBe(ids.Order(StringComparer.Ordinal));
    }

    private static async Task<(Core.Storage.StoreDatabase Database, string RunId)> ParkedRunWithApprovalsAsync()
    {
        var database = await TestStore.CreateAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var agent = await new AgentStore(database, time).CreateAsync("alice@example.com", new AgentDefinition("Triage", null, "triage", null, [], null, null, null), CancellationToken.None);
        var run = await new RunStore(database, time).CreateAsync(agent.Id, "bob@example.com", "sort the inbox", CancellationToken.None);
        var approvals = new ApprovalStore(database, time);
        for (var i = 0; i < Approvals; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var approval = await approvals.CreateAsync(
                run.Id, agent.Id, agent.Owner, $"call_{i:D2}", "email.send", "{}", ["rule"], [new ApprovalRequirement("security", 3, TimeSpan.FromHours(1))],
                new Dictionary<string, string>(), "sha", CancellationToken.None);
            foreach (var approver in new[] { "dave@example.com", "erin@example.com" })
            {
                (await approvals.VoteAsync(approval.Id, approver, approve: true, null, (_, _) => true, CancellationToken.None)).ShouldBe(VoteOutcome.Counted);
            }
        }

        return (database, run.Id);
    }
}
