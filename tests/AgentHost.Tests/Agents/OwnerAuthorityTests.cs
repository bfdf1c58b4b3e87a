using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using AgentHost.Tests.Slack;

namespace AgentHost.Tests.Agents;

/// <summary>
/// An agent never holds more authority than its owner (issue 14, item 2): each test is an employee trying
/// to give their agent what they do not hold themselves, through the real API, against Slack and GitHub
/// as emulated on loopback.
/// </summary>
public sealed class OwnerAuthorityTests : OwnerAuthorityHost
{
    private static readonly string[] SlackRead = ["slack.read_channel"];
    private static readonly string[] DeployWrite = ["deploy.create_deployment", "deploy.get_status"];
    private static readonly string[] DeployRead = ["deploy.list_pull_requests", "deploy.get_status"];

    [Fact]
    public async Task Create_PrivateChannelTheOwnerIsNotIn_Is400NamingTheFieldAndTheValue()
    {
        var response = await CreateAsync("alice@example.com", SlackRead, new() { ["slack.channels"] = ["C0OPS", HrChannel] });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = await ErrorsOfAsync(response, "scopes.slack.channels");
        errors.ShouldHaveSingleItem().ShouldContain($"'{HrChannel}'");
        errors[0].ShouldContain("alice@example.com");
        Slack.CallsOf("conversations.members").ShouldContain(c => c.Arguments["channel"]!.GetValue<string>() == HrChannel);
    }

    [Fact]
    public async Task Create_PrivateChannelTheHostCannotSee_IsRefusedToo()
    {
        Slack.AddPrivateChannel("C0BOARD", "U0ALICE01");

        var response = await CreateAsync("alice@example.com", SlackRead, new() { ["slack.channels"] = ["C0BOARD"] });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsOfAsync(response, "scopes.slack.channels"))[0].ShouldContain("'C0BOARD'");
    }

    [Fact]
    public async Task Create_ChannelsTheOwnerIsIn_IsCreated_EvenOnTheSecondPageOfMembers()
    {
        Slack.AddPrivateChannel("C0BIG", SlackEmulator.BotUserId);
        for (var i = 0; i < 1_500; i++)
        {
            Slack.Join("C0BIG", $"U0A{i:D4}");
        }

        Slack.Join("C0BIG", "U0ALICE01");

        var response = await CreateAsync("alice@example.com", SlackRead, new() { ["slack.channels"] = ["C0OPS", "C0BIG"] });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var pages = Slack.CallsOf("conversations.members").Where(c => c.Arguments["channel"]!.GetValue<string>() == "C0BIG").ToList();
        pages.Count.ShouldBe(2);
        pages[1].Arguments["cursor"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData(" c0hr ", false)]
    [InlineData("c0Hr", false)]
    [InlineData("C0HR\t", false)]
    [InlineData(" c0ops", true)]
    [InlineData("C0ops ", true)]
    public async Task Create_ChannelIdInAnotherCaseOrWithWhiteSpace_GetsTheSameDecision(string channel, bool allowed)
    {
        var response = await CreateAsync("alice@example.com", SlackRead, new() { ["slack.channels"] = [channel] });

        response.StatusCode.ShouldBe(allowed ? HttpStatusCode.Created : HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(SlackHostTest.ApprovalChannel)]
    [InlineData(" c0approve ")]
    public async Task Create_TheApprovalsChannel_IsRefused_EvenToAMember(string channel)
    {
        var response = await CreateAsync("alice@example.com", SlackRead, new() { ["slack.channels"] = [channel] });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsOfAsync(response, "scopes.slack.channels"))[0].ShouldContain("approvals channel");
    }

    [Fact]
    public async Task Create_AMentionTriggerInAChannelTheOwnerIsNotIn_IsRefused()
    {
        var response = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "HR listener",
            instructions = "Answer when mentioned.",
            tools = SlackRead,
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] },
            triggers = new { slackMention = new { channels = new[] { "C0OPS", HrChannel } } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsOfAsync(response, "triggers.slackMention.channels[1]"))[0].ShouldContain($"'{HrChannel}'");
    }

    [Fact]
    public async Task Update_AddingAChannelTheOwnerIsNotIn_IsRefused_AlsoWhenAnAdminEdits()
    {
        var id = await IdOfAsync(await CreateAsync("alice@example.com", SlackRead, new() { ["slack.channels"] = ["C0OPS"] }));
        var body = Body(SlackRead, new() { ["slack.channels"] = ["C0OPS", HrChannel] });

        var byOwner = await Host.CreateClientAs("alice@example.com").PutAsJsonAsync($"/api/agents/{id}", body);
        var byAdmin = await Host.CreateClientAs("root@example.com").PutAsJsonAsync($"/api/agents/{id}", body);

        byOwner.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsOfAsync(byOwner, "scopes.slack.channels"))[0].ShouldContain(HrChannel);
        byAdmin.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Create_RepositoryTheOwnerOnlyReads_IsRefusedForDeployTools_ButFineForReadTools()
    {
        var deploy = await CreateAsync("alice@example.com", DeployWrite, new() { ["github.repos"] = ["acme/payroll"], ["github.environments"] = ["staging"] });
        var read = await CreateAsync("alice@example.com", DeployRead, new() { ["github.repos"] = ["acme/payroll"] });
        var writable = await CreateAsync("alice@example.com", DeployWrite, new() { ["github.repos"] = ["ACME/Web"], ["github.environments"] = ["staging"] });

        deploy.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var repoErrors = await ErrorsOfAsync(deploy, "scopes.github.repos");
        repoErrors[0].ShouldContain("'acme/payroll'");
        repoErrors[0].ShouldContain("read permission");
        (await ErrorsOfAsync(deploy, "scopes.github.environments"))[0].ShouldContain("'staging'");
        read.StatusCode.ShouldBe(HttpStatusCode.Created, await read.Content.ReadAsStringAsync());
        writable.StatusCode.ShouldBe(HttpStatusCode.Created, await writable.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_RepositoryGitHubDoesNotKnow_OrAnOwnerWithoutALogin_IsRefusedWithTheReason()
    {
        var unknown = await CreateAsync("alice@example.com", DeployRead, new() { ["github.repos"] = ["acme/secret"] });
        var noLogin = await CreateAsync("sam@example.com", DeployRead, new() { ["github.repos"] = ["acme/web"] });

        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsOfAsync(unknown, "scopes.github.repos"))[0].ShouldContain("'acme/secret'");
        noLogin.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsOfAsync(noLogin, "scopes.github.repos"))[0].ShouldContain("no GitHub login in the directory");
    }

    [Fact]
    public async Task RunStart_AfterTheOwnerLeftTheChannel_AndTheCacheExpired_IsStoppedBeforeAnyCall_AndAudited()
    {
        var id = await IdOfAsync(await CreateAsync("alice@example.com", SlackRead, new() { ["slack.channels"] = ["C0OPS"] }));
        Slack.Leave("C0OPS", "U0ALICE01");
        Clock.Advance(TimeSpan.FromSeconds(61));

        var run = await RunsApi.RunToEndAsync(Host, id, "What happened in #ops?");

        run.GetProperty("status").GetString().ShouldBe("stopped", run.ToString());
        run.GetProperty("stopReason").GetString()!.ShouldContain("C0OPS");
        Model.Requests.ShouldBeEmpty();
        Tools.Calls.ShouldBeEmpty();
        var refused = await AuditAsync($"type=scope.refused&runId={run.GetProperty("id").GetString()}");
        refused.GetArrayLength().ShouldBe(1);
        refused[0].GetProperty("data").GetProperty("errors").GetProperty("scopes.slack.channels")[0].GetString()!.ShouldContain("not a member");
    }

    [Fact]
    public async Task AnAdminGrant_IsStored_Audited_Displayed_AndSurvivesTheOwnersEditsAndRunStart()
    {
        var id = await IdOfAsync(await CreateAsync("alice@example.com", SlackRead, new() { ["slack.channels"] = ["C0OPS"] }));

        var byOwner = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{id}/grants", new { scope = "slack.channels", value = HrChannel });
        var granted = await Host.CreateClientAs("root@example.com").PostAsJsonAsync($"/api/agents/{id}/grants", new { scope = "slack.channels", value = " c0hr ", reason = "HR asked for the digest" });

        byOwner.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        granted.StatusCode.ShouldBe(HttpStatusCode.OK, await granted.Content.ReadAsStringAsync());
        var events = await AuditAsync($"agentId={id}&type=scope.granted");
        events.GetArrayLength().ShouldBe(1);
        events[0].GetProperty("actor").GetString().ShouldBe("employee:root@example.com");
        events[0].GetProperty("data").GetProperty("value").GetString().ShouldBe(HrChannel);
        events[0].GetProperty("data").GetProperty("grantedBy").GetString().ShouldBe("root@example.com");
        (await AuditAsync($"agentId={id}&type=agent.updated"))[0].GetProperty("data").GetProperty("grantedBy").GetString().ShouldBe("root@example.com");

        var page = await Host.CreateClientAs("alice@example.com").GetStringAsync($"/agents/{id}");
        page.ShouldContain("HR asked for the digest");
        page.ShouldContain("root@example.com");

        // The owner edits the agent again: the granted value stays allowed, and a run starts.
        var edit = await Host.CreateClientAs("alice@example.com").PutAsJsonAsync($"/api/agents/{id}", Body(SlackRead, new() { ["slack.channels"] = ["C0OPS", "C0HR"] }));
        edit.StatusCode.ShouldBe(HttpStatusCode.OK, await edit.Content.ReadAsStringAsync());
        Model.Enqueue(new ModelReply.Text("Nothing new."));
        var run = await RunsApi.RunToEndAsync(Host, id, "Anything in HR?");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
    }

    [Theory]
    [InlineData("Finance", false)]
    [InlineData("triage", false)]
    [InlineData("Triage", true)]
    [InlineData("inbox", true)]
    public async Task Create_SharedMailboxFolder_OnlyTheOnesTheDirectoryEntitles_AsImapComparesThem(string folder, bool allowed)
    {
        var response = await CreateAsync("alice@example.com", ["email.read_message"], new() { ["email.folders"] = [folder] });

        response.StatusCode.ShouldBe(allowed ? HttpStatusCode.Created : HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        if (!allowed)
        {
            (await ErrorsOfAsync(response, "scopes.email.folders"))[0].ShouldContain($"'{folder}'");
        }
    }

    [Theory]
    [InlineData("partner.test", true)]
    [InlineData("PARTNER.Test", true)]
    [InlineData(" Partner.TEST. ", true)]
    [InlineData("evil.test", false)]
    [InlineData("EVIL.test", false)]
    [InlineData("partner.test.evil.test", false)]
    public async Task Create_RecipientDomainInAnotherCase_GetsTheSameDecision(string domain, bool allowed)
    {
        var response = await CreateAsync("alice@example.com", ["email.send"], new() { ["email.recipientDomains"] = [domain] });

        response.StatusCode.ShouldBe(allowed ? HttpStatusCode.Created : HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        if (!allowed)
        {
            (await ErrorsOfAsync(response, "scopes.email.recipientDomains"))[0].ShouldContain($"'{domain.Trim()}'");
        }
    }

    private async Task<JsonElement> AuditAsync(string query) =>
        (await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?{query}")).GetProperty("events");
}
