using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Email;

/// <summary>Runs started by mail count against Limits:RunsPerAgentPerHour like every other start; the mail waits.</summary>
public sealed class EmailArrivalLimitTests : EmailHostTest
{
    [Fact]
    public async Task MailBeyondTheHourlyRunLimit_StartsNoRun_AndTheRefusalIsAuditedOnce()
    {
        using var host = new EmailHostFactory(Model, Tools, MailUser, extra: new Dictionary<string, string?> { ["Limits:RunsPerAgentPerHour"] = "2" });
        for (var i = 0; i < 5; i++)
        {
            Model.Enqueue(new ModelReply.Text("done"));
        }

        var agentId = await CreateTriageAgentAsync(host, maxConcurrentRuns: 10);
        await PollAsync(host); // the first look sets the cursor
        for (var i = 0; i < 3; i++)
        {
            await MailServers.AppendAsync(MailUser, "INBOX", MailServers.Message("dave@example.com", $"burst {i}", "x"));
        }

        var started = await PollAsync(host) + await PollAsync(host) + await PollAsync(host);

        started.ShouldBe(2);
        (await RunsAsync(host, agentId)).Count.ShouldBe(2, "the third message waits for the hour to move on");
        var audit = await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=budget.exceeded&agentId={agentId}");
        var refusal = audit.GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        refusal.GetProperty("data").GetProperty("budget").GetString().ShouldBe("runsPerHour");
    }
}
