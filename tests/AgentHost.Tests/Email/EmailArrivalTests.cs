using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using MailKit;

namespace AgentHost.Tests.Email;

/// <summary>The email arrival trigger: one run per new message, none twice, none skipped, across restarts and workers.</summary>
public sealed class EmailArrivalTests : EmailHostTest
{
    [Fact]
    public async Task MailAlreadyThere_StartsNothing_NewMailStartsOneRunEach()
    {
        // INTERNALDATE has whole seconds: the old mail was delivered a minute before the agent was made.
        await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", "old", "before the agent"), deliveredAt: TimeProvider.System.GetUtcNow().AddMinutes(-1));
        var agentId = await CreateTriageAgentAsync(Host);
        var first = await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", "one", "x"));
        var second = await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", "two", "y"));
        Model.Enqueue(new ModelReply.Text("done"), new ModelReply.Text("done"));

        await PollAsync(Host);
        await PollAsync(Host);
        var runs = await RunsAsync(Host, agentId);

        runs.Count.ShouldBe(2);
        runs[0].Input.ShouldContain($"id {first}.");
        runs[1].Input.ShouldContain($"id {second}.");
        var audit = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=email.mailbox_baselined");
        audit.GetProperty("events").EnumerateArray().ShouldHaveSingleItem().GetProperty("data").GetProperty("reason").GetString().ShouldBe("first look at the folder");
    }

    [Fact]
    public async Task AcrossARestart_NoMessageRunsTwice_AndNoneIsSkipped()
    {
        var data = Host.DataDirectory;
        for (var i = 0; i < 40; i++)
        {
            Model.Enqueue(new ModelReply.Text("done"));
        }

        var agentId = await CreateTriageAgentAsync(Host);
        for (var i = 0; i < 3; i++)
        {
            await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", $"before restart {i}", "x"));
        }

        await PollAsync(Host);
        var beforeRestart = await RunsAsync(Host, agentId);
        Host.OwnsData = false;
        Host.Dispose();

        // Mail that arrives while the host is down is picked up when it is back.
        for (var i = 0; i < 2; i++)
        {
            await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", $"while down {i}", "x"));
        }

        using var restarted = new EmailHostFactory(Model, Tools, MailUser, dataDirectory: data) { OwnsData = true };
        await PollAsync(restarted);
        await PollAsync(restarted);
        var all = await RunsAsync(restarted, agentId);

        beforeRestart.Count.ShouldBe(3);
        all.Count.ShouldBe(5);
        all.Select(r => r.Input).Distinct().Count().ShouldBe(5, "each message started exactly one run");
    }

    [Fact]
    public async Task PollsRacingEachOther_StartOneRunPerMessage()
    {
        for (var i = 0; i < 40; i++)
        {
            Model.Enqueue(new ModelReply.Text("done"));
        }

        var agentId = await CreateTriageAgentAsync(Host, maxConcurrentRuns: 50);
        await PollAsync(Host); // the first look sets the cursor
        for (var i = 0; i < 12; i++)
        {
            await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", $"burst {i}", "x"));
        }

        // Workers race for the same cursor; the store lets one of them start each message's run.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PollAsync(Host))));
        var runs = await RunsAsync(Host, agentId);

        runs.Count.ShouldBe(12);
        runs.Select(r => r.Input).Distinct().Count().ShouldBe(12);
    }

    [Fact]
    public async Task ABusyAgent_LeavesMailWaiting_UntilItHasRoom()
    {
        var agentId = await CreateTriageAgentAsync(Host, maxConcurrentRuns: 1);
        await PollAsync(Host);
        for (var i = 0; i < 3; i++)
        {
            await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", $"queued {i}", "x"));
        }

        Model.Enqueue(new ModelReply.Text("done"), new ModelReply.Text("done"), new ModelReply.Text("done"));
        var counts = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            await PollAsync(Host);
            var runs = await RunsAsync(Host, agentId);
            counts.Add(runs.Count);
            await RunsApi.WaitForAsync(Host, runs[^1].Id);
        }

        counts.ShouldBe([1, 2, 3], "one run at a time, in arrival order, none dropped");
        (await RunsAsync(Host, agentId)).ShouldAllBe(r => r.Status == "succeeded");
    }

    [Fact]
    public async Task UidValidityChange_Rebaselines_AndIsAudited()
    {
        var agentId = await CreateTriageAgentAsync(Host, triggerFolders: ["Triage"]);
        await PollAsync(Host);
        using (var client = await MailServers.ConnectAsync(MailUser))
        {
            // Deleting and recreating a folder gives it a new UIDVALIDITY: the old uids mean nothing now.
            var triage = await client.GetFolderAsync("Triage");
            await triage.DeleteAsync();
            await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Triage", true);
        }

        await MailServers.AppendAsync(MailUser, "Triage", MailServers.Message("dave@example.com", "in the new folder", "x"));
        await PollAsync(Host);
        var afterChange = await RunsAsync(Host, agentId);
        Model.Enqueue(new ModelReply.Text("done"));
        await MailServers.AppendAsync(MailUser, "Triage", MailServers.Message("dave@example.com", "after the change", "x"));
        await PollAsync(Host);

        afterChange.ShouldBeEmpty("what the recreated folder held when the change was seen counts as seen");
        (await RunsAsync(Host, agentId)).ShouldHaveSingleItem();
        var audit = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=email.mailbox_baselined");
        audit.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("reason").GetString()!)
            .ShouldContain(r => r.StartsWith("UIDVALIDITY changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMissingFolder_IsAuditedOnce_AndOtherAgentsGoOn()
    {
        // carol's groups are entitled to the folder "Security" (directory.yaml), which this mailbox lacks.
        var response = await Host.CreateClientAs("carol@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Broken watcher",
            instructions = "x",
            tools = new[] { "email.read_message" },
            scopes = new Dictionary<string, string[]> { ["email.folders"] = ["Security"] },
            triggers = new { emailArrival = new { folders = new[] { "Security" } } },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var agentId = await CreateTriageAgentAsync(Host);
        await PollAsync(Host);
        Model.Enqueue(new ModelReply.Text("done"));
        await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", "still works", "x"));

        await PollAsync(Host);
        await PollAsync(Host);

        (await RunsAsync(Host, agentId)).ShouldHaveSingleItem();
        var audit = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=email.mailbox_unavailable");
        audit.GetProperty("events").EnumerateArray().ShouldHaveSingleItem().GetProperty("data").GetProperty("problem").GetString().ShouldBe("there is no folder 'Security'");
    }

    [Fact]
    public async Task TheTrigger_OnlyWatchesGrantedFolders_AndNeedsTheReadTool()
    {
        var response = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Overreach",
            instructions = "x",
            tools = new[] { "email.list_messages" },
            scopes = new Dictionary<string, string[]> { ["email.folders"] = ["INBOX"] },
            triggers = new { emailArrival = new { folders = new[] { "INBOX", "HR" } } },
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.GetProperty("triggers.emailArrival.folders[1]")[0].GetString().ShouldStartWith("'HR' is not one of the agent's mail folders");
        errors.GetProperty("triggers.emailArrival")[0].GetString()!.ShouldContain("email.read_message");
        errors.TryGetProperty("triggers.emailArrival.folders[0]", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task TheBackgroundPoller_StartsRunsOnItsOwn()
    {
        var user = MailServers.NewUser();
        using var polling = new EmailHostFactory(Model, Tools, user, pollSeconds: 1);
        var agentId = await CreateTriageAgentAsync(polling);
        Model.Enqueue(new ModelReply.Text("done"));
        await MailServers.AppendAsync(user, "INBOX", MailServers.Message("dave@example.com", "polled", "x"), MessageFlags.None);

        var runs = await Eventually.ReturnsAsync(() => RunsAsync(polling, agentId), r => r.Count > 0, "the background poller starts a run for the new mail");

        runs.ShouldHaveSingleItem();
    }
}
