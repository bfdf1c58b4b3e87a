using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Gate;
using AgentHost.Core.Storage;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Deploy;

/// <summary>
/// What runs after an approval is the call people approved (issue 14, item 1): someone with write access
/// to the store edits the parked run's history or the approval row between the park and the approval,
/// and nothing is deployed, the run fails closed, and the audit says why. The real deploy plugin talks
/// to the GitHub emulator, so a forged deployment would show there.
/// </summary>
public sealed class ForgedApprovalTests : IAsyncLifetime
{
    private const string Arguments = """{"repo":"acme/web","ref":"main","environment":"production","description":"main to production"}""";
    private readonly RecordingToolExecutor _otherTools = new(realPlugin: "deploy");
    private ModelEmulator _model = null!;
    private GitHubEmulator _github = null!;
    private GitHubRepository _web = null!;
    private DeployHostTests.DeployHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _model = await ModelEmulator.StartAsync();
        _github = await GitHubEmulator.StartAsync();
        _web = _github.AddRepository("acme/web");
        _github.SetPermission("acme/web", "alice-adams", "write");
        _host = new DeployHostTests.DeployHostFactory(_model, _github, _otherTools);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _github.DisposeAsync();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task HistoryEditedToAnotherRef_ThenApproved_DeploysNothing_AndFailsClosed()
    {
        var (runId, approvalId) = await ParkAsync();
        (await ExecuteAsync("UPDATE runs SET history = REPLACE(history, '\"ref\":\"main\"', '\"ref\":\"feature-x\"') WHERE id = @a", runId)).ShouldBe(1);
        (await ScalarAsync("SELECT history FROM runs WHERE id = @a", runId)).ShouldContain("feature-x");

        var run = await ApproveAsync(runId, approvalId);

        await AssertFailedClosedAsync(run, "other arguments than were approved");
    }

    [Fact]
    public async Task ApprovalArgumentsEdited_ButNotTheirHash_DeploysNothing_AndFailsClosed()
    {
        var (runId, approvalId) = await ParkAsync();
        (await ExecuteAsync("UPDATE approvals SET arguments = REPLACE(arguments, '\"main\"', '\"feature-x\"') WHERE id = @a", approvalId)).ShouldBe(1);

        var run = await ApproveAsync(runId, approvalId);

        await AssertFailedClosedAsync(run, "do not match their SHA-256");
    }

    [Fact]
    public async Task ApprovalArgumentsAndHashEdited_ButNotTheHistory_DeploysNothing_AndFailsClosed()
    {
        var (runId, approvalId) = await ParkAsync();
        var forged = (await ScalarAsync("SELECT arguments FROM approvals WHERE id = @a", approvalId)).Replace("\"main\"", "\"feature-x\"", StringComparison.Ordinal);
        (await ExecuteAsync("UPDATE approvals SET arguments = @b, arguments_sha256 = @c WHERE id = @a", approvalId, forged, CanonicalCall.Hash(forged))).ShouldBe(1);

        var run = await ApproveAsync(runId, approvalId);

        await AssertFailedClosedAsync(run, "other arguments than were approved");
    }

    [Fact]
    public async Task HistoryCallRenumbered_ThenApproved_DeploysNothing_AndFailsClosed()
    {
        var (runId, approvalId) = await ParkAsync();
        (await ExecuteAsync("UPDATE runs SET history = REPLACE(history, '\"call_1_0\"', '\"call_9_9\"') WHERE id = @a", runId)).ShouldBe(1);

        var run = await ApproveAsync(runId, approvalId);

        await AssertFailedClosedAsync(run, "the approval is for call_1_0");
    }

    [Fact]
    public async Task UntouchedApproval_DeploysExactlyTheApprovedRef()
    {
        var (runId, approvalId) = await ParkAsync();
        var stored = await ScalarAsync("SELECT arguments FROM approvals WHERE id = @a", approvalId);
        _model.Enqueue(new ModelReply.Text("Deployed."));

        var run = await ApproveAsync(runId, approvalId);

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        stored.ShouldBe("""{"description":"main to production","environment":"production","ref":"main","repo":"acme/web"}""");
        _web.Deployments.ShouldHaveSingleItem()["ref"]!.GetValue<string>().ShouldBe("main");
        run.GetProperty("toolCalls")[0].GetProperty("argumentsSha256").GetString().ShouldBe(CanonicalCall.Hash(stored));
    }

    private async Task AssertFailedClosedAsync(JsonElement run, string reason)
    {
        run.GetProperty("status").GetString().ShouldBe("failed", run.ToString());
        run.GetProperty("stopReason").GetString()!.ShouldContain(reason);
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("cancelled");
        _web.Deployments.ShouldBeEmpty();
        _github.CallsTo("POST", "/deployments").ShouldBeEmpty();
        var runId = run.GetProperty("id").GetString()!;
        var types = await RunsApi.AuditTypesAsync(_host, runId);
        types.ShouldContain("approval.mismatch");
        types.ShouldNotContain("action.executed");
        types[^1].ShouldBe("run.failed");
        var mismatch = (await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}&type=approval.mismatch")).GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        mismatch.GetProperty("data").GetProperty("reason").GetString()!.ShouldContain(reason);
    }

    private async Task<(string RunId, string ApprovalId)> ParkAsync() =>
        await RunsApi.ParkAsync(_host, _model, agentId: await CreateAgentAsync(), call: new ToolCall("deploy-create_deployment", Arguments, "call_prod"), input: "Ship main to production");


    private async Task<JsonElement> ApproveAsync(string runId, string approvalId)
    {
        var approved = await _host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        approved.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await RunsApi.WaitForAsync(_host, runId);
    }

    private async Task<int> ExecuteAsync(string sql, params object[] values)
    {
        await using var connection = await _host.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.AddParameter("@" + (char)('a' + i), values[i]);
        }

        return await command.ExecuteNonQueryAsync();
    }

    private async Task<string> ScalarAsync(string sql, string id)
    {
        await using var connection = await _host.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@a", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> CreateAgentAsync()
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Release helper",
            instructions = "Ship what you are asked to ship.",
            tools = new[] { "deploy.create_deployment" },
            scopes = new Dictionary<string, string[]> { ["github.repos"] = ["acme/web"], ["github.environments"] = ["staging", "production"] },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
