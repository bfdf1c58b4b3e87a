using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;

namespace AgentHost.Tests.Agents;

/// <summary>
/// A run can wait hours for an approval. If the owner loses the authority the agent borrows meanwhile
/// (write on the repository, membership of a channel), the approved call must not act with it: the
/// resumed run stops before the call, which ends cancelled, and the audit says why.
/// </summary>
public sealed class OwnerAuthorityOnResumeTests : OwnerAuthorityHost
{
    private const string ProductionDeploy = """{"repo":"acme/web","ref":"main","environment":"production"}""";

    [Fact]
    public async Task OwnerLosesWriteWhileTheRunWaits_TheApprovedDeployDoesNotHappen_AndTheRunStops()
    {
        var (runId, approvalId) = await ParkProductionDeployAsync();
        GitHub.SetPermission("acme/web", "alice-adams", "read");
        Clock.Advance(TimeSpan.FromSeconds(61));

        var run = await ApproveAsync(runId, approvalId);

        run.GetProperty("status").GetString().ShouldBe("stopped", run.ToString());
        run.GetProperty("stopReason").GetString()!.ShouldContain("acme/web");
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("cancelled");
        GitHub.CallsTo("POST", "/deployments").ShouldBeEmpty();
        var refused = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=scope.refused&runId={runId}");
        refused.GetProperty("events").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task OwnerKeepsWrite_TheApprovedDeployHappens()
    {
        var (runId, approvalId) = await ParkProductionDeployAsync();
        Clock.Advance(TimeSpan.FromSeconds(61));
        Model.Enqueue(new ModelReply.Text("Deployed main to production."));

        var run = await ApproveAsync(runId, approvalId);

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        GitHub.CallsTo("POST", "/deployments").Count.ShouldBe(1);
    }

    private async Task<(string RunId, string ApprovalId)> ParkProductionDeployAsync()
    {
        var response = await CreateAsync("alice@example.com", ["deploy.create_deployment"], new() { ["github.repos"] = ["acme/web"], ["github.environments"] = ["staging", "production"] });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var agentId = await IdOfAsync(response);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("deploy-create_deployment", ProductionDeploy, "call_prod")]));
        var parked = await RunsApi.RunToEndAsync(Host, agentId, "Ship main to production", until: "awaiting_approval");
        parked.GetProperty("status").GetString().ShouldBe("awaiting_approval", parked.ToString());
        var runId = parked.GetProperty("id").GetString()!;
        var pending = await Host.CreateClientAs("carol@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        return (runId, pending.EnumerateArray().Single(a => a.GetProperty("runId").GetString() == runId).GetProperty("id").GetString()!);
    }

    private async Task<JsonElement> ApproveAsync(string runId, string approvalId)
    {
        var approved = await Host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        approved.StatusCode.ShouldBe(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        return await RunsApi.WaitForAsync(Host, runId);
    }
}
