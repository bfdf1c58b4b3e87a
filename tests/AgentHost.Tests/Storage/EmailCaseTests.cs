using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;
using AgentHost.Core.Usage;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Storage;

/// <summary>E-mail addresses are written in canonical lower case, so finding them never depends on a collation.</summary>
public sealed class EmailCaseTests
{
    [Fact]
    public async Task AMixedCaseAddress_IsWrittenLowerCase_FoundAndListed()
    {
        var database = await TestStore.CreateAsync();
        var time = TimeProvider.System;
        var agents = new AgentStore(database, time);
        var agent = await agents.CreateAsync(" Alice@Example.COM", new AgentDefinition("Triage", null, "triage", null, [], null, null, null), CancellationToken.None);
        var run = await new RunStore(database, time).CreateAsync(agent.Id, "Bob@Example.com", "hello", startedBy: "Carol@EXAMPLE.com", CancellationToken.None);
        var approvals = new ApprovalStore(database, time);
        var approval = await approvals.CreateAsync(
            run.Id, agent.Id, "ALICE@example.com", "call_1", "email.send", "{}", ["rule"], [new ApprovalRequirement("security", 1, TimeSpan.FromHours(1))],
            new Dictionary<string, string>(), "sha", CancellationToken.None);
        await approvals.VoteAsync(approval.Id, "Dave@Example.COM", approve: true, null, (_, _) => true, CancellationToken.None);
        await new ScopeGrantStore(database, TestCatalog.Standard).AddAsync(new ScopeGrant(agent.Id, "channels", "C1", "Admin@Example.com", time.GetUtcNow(), null), CancellationToken.None);

        (await database.QueryAsync<string>(
            "SELECT owner FROM agents UNION ALL SELECT requester FROM runs UNION ALL SELECT started_by FROM runs UNION ALL SELECT owner FROM approvals "
            + "UNION ALL SELECT approver FROM approval_votes UNION ALL SELECT granted_by FROM agent_scope_grants",
            null,
            CancellationToken.None)).Order(StringComparer.Ordinal).ShouldBe(
            ["admin@example.com", "alice@example.com", "alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"]);
        (await agents.ListAsync("ALICE@example.com", CancellationToken.None)).Single().Id.ShouldBe(agent.Id);
        (await agents.GetAsync(agent.Id, CancellationToken.None))!.Owner.ShouldBe("alice@example.com");
        var usage = await new UsageStore(database).ReadAsync(time.GetUtcNow().AddHours(-1), time.GetUtcNow().AddHours(1), ["Alice@EXAMPLE.com"], CancellationToken.None);
        usage.Runs.Single().RunId.ShouldBe(run.Id);
        usage.Approvals.Single().Status.ShouldBe(ApprovalStatus.Approved);
    }
}
