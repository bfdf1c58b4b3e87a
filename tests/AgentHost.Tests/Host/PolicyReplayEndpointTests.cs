using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Policies;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>
/// Security replays a candidate policy against the calls real runs made (read from the trail), over the
/// API and on every reload; a reviewer's mistakes come back named by field, never a 500 or a host path.
/// </summary>
public sealed class PolicyReplayEndpointTests : IAsyncLifetime
{
    private const string Freeze = "rules:\n  - id: freeze-ops-reads\n    match: { function: slack.read_channel }\n    decision: deny\n";

    private readonly string _policies = Path.Combine(Path.GetTempPath(), "agenthost-replay-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingToolExecutor _tools = new();
    private ModelEmulator _model = null!;
    private RunHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_policies);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "policies"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(_policies, Path.GetFileName(file)));
        }

        _model = await ModelEmulator.StartAsync();
        _host = new RunHostFactory(_model, _tools, settings: new Dictionary<string, string?> { ["Policies:Path"] = _policies });
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _model.DisposeAsync();
        Directory.Delete(_policies, recursive: true);
    }

    [Fact]
    public async Task ACandidateThatFreezesReads_ListsTheAllowedReadOfARealRun_AndNotTheOneAlreadyDenied()
    {
        var (agentId, runId) = await RunWithAnAllowedAndADeniedReadAsync();

        var response = await _host.CreateClientAs("sam@example.com").PostAsJsonAsync("/api/policy/replay", new { since = "1d", files = new[] { new { name = "zz-freeze.yaml", text = Freeze } } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("replayed").GetInt32().ShouldBe(2);
        body.GetProperty("changed").GetInt32().ShouldBe(1);
        body.GetProperty("byChange").GetProperty("allow_to_deny").GetInt32().ShouldBe(1);
        var group = body.GetProperty("groups").EnumerateArray().ShouldHaveSingleItem();
        group.GetProperty("rule").GetString().ShouldBe("freeze-ops-reads");
        group.GetProperty("agentId").GetString().ShouldBe(agentId);
        group.GetProperty("agentName").GetString().ShouldBe("Ops helper");
        var call = body.GetProperty("calls").EnumerateArray().ShouldHaveSingleItem();
        call.GetProperty("runId").GetString().ShouldBe(runId);
        call.GetProperty("before").GetProperty("rules")[0].GetString().ShouldBe("slack-read-granted-channels");
        body.GetProperty("baselineHash").GetString().ShouldNotBe(body.GetProperty("candidateHash").GetString());
    }

    [Fact]
    public async Task AReload_ReplaysTheNewSetFirst_AndThePolicyLoadedEventSaysWhatItChanges()
    {
        await RunWithAnAllowedAndADeniedReadAsync();
        await File.WriteAllTextAsync(Path.Combine(_policies, "zz-freeze.yaml"), Freeze);

        var result = await _host.Services.GetRequiredService<PolicyReloadService>().ReloadAsync(CancellationToken.None);

        result.Succeeded.ShouldBeTrue();
        var events = await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit?type=policy.loaded");
        var loaded = events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("data")).Single(d => d.TryGetProperty("replay", out var r) && r.ValueKind == JsonValueKind.Object);
        loaded.GetProperty("replay").GetProperty("changed").GetInt32().ShouldBe(1);
        loaded.GetProperty("replay").GetProperty("byChange").GetProperty("allow_to_deny").GetInt32().ShouldBe(1);
        loaded.GetProperty("previousPolicyHash").GetString().ShouldNotBe(loaded.GetProperty("policyHash").GetString());
        var history = await _host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/policy");
        history.GetProperty("history")[0].GetProperty("replay").GetProperty("changed").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheCommandLine_ReplaysACopiedStore_AgainstABaselineFolderOrTheRecords_AndFailsOnChangeWhenAsked(bool withBaseline)
    {
        await RunWithAnAllowedAndADeniedReadAsync();
        var candidate = Directory.CreateTempSubdirectory("agenthost-candidate-").FullName;
        foreach (var file in Directory.EnumerateFiles(_policies, "*.yaml"))
        {
            File.Copy(file, Path.Combine(candidate, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(candidate, "zz-freeze.yaml"), Freeze);
        // The copied file on SQLite; the server itself on PostgreSQL (test.sh runs host tests on both).
        string[] store = _host.Services.GetRequiredService<AgentHost.Core.Storage.StoreDatabase>() is AgentHost.Core.Storage.SqliteDatabase sqlite
            ? ["--db", sqlite.FilePath]
            : ["--connection", _host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["ConnectionStrings:AgentHost"]!];
        string[] args = ["policy", "replay", "--path", candidate, .. store, "--since", "1d", "--directory", Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml"), "--fail-on-change"];
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await AgentHost.Cli.CommandLine.RunAsync(withBaseline ? [.. args, "--baseline", _policies] : args, output, error, CancellationToken.None);

        code.ShouldBe(1, output + error.ToString());
        output.ToString().ShouldContain("replayed 2 calls");
        output.ToString().ShouldContain("1 would be decided differently");
        output.ToString().ShouldContain("allow_to_deny: 1");
        output.ToString().ShouldContain("freeze-ops-reads");
        output.ToString().ShouldMatch(withBaseline ? "baseline [0-9a-f]{64}, candidate [0-9a-f]{64}" : "baseline recorded, candidate [0-9a-f]{64}");
    }

    [Fact]
    public async Task ThePoliciesPage_ReplaysACandidateFile_ForSecurity_AndShowsTheChangedCallWithItsRun()
    {
        var (_, runId) = await RunWithAnAllowedAndADeniedReadAsync();
        using var sam = new AgentHost.Tests.Web.PageClient(_host, "sam@example.com");
        var (_, page) = await sam.GetAsync("/policies");

        var (response, result) = await sam.SubmitAsync(page, "#replay form", [new("ReplayFile", "zz-freeze.yaml"), new("ReplayText", Freeze), new("ReplaySince", "1d")]);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        result.QuerySelector("#replay-result")!.TextContent.ShouldContain("1 call of 2 replayed");
        result.QuerySelector("#replay-groups")!.TextContent.ShouldContain("freeze-ops-reads");
        result.QuerySelector($"#replay-calls a[href='/runs/{runId}']").ShouldNotBeNull();

        var (broken, errorPage) = await sam.SubmitAsync(result, "#replay form", [new("ReplayFile", "zz.yaml"), new("ReplayText", "rules: ["), new("ReplaySince", "7x")]);

        broken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        errorPage.QuerySelector("#since-error").ShouldNotBeNull();
    }

    [Fact]
    public async Task AnEmployee_SeesNoReplayForm_AndCannotPostOne()
    {
        using var alice = new AgentHost.Tests.Web.PageClient(_host, "alice@example.com");
        var (_, page) = await alice.GetAsync("/policies");

        page.QuerySelector("#replay").ShouldBeNull();
        var (response, _) = await alice.SubmitAsync(page, "form", [new("ReplayFile", "zz-freeze.yaml"), new("ReplayText", Freeze)], action: "/policies?handler=Replay");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task OnlySecurityAndAdmins_MayReplay()
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/policy/replay", new { since = "1d" });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("""{"since":"7x"}""", "since", "duration")]
    [InlineData("""{"since":"401d"}""", "since", "400d")]
    [InlineData("""{"files":[{"name":"../../etc/evil.yaml","text":"rules: []"}]}""", "files", "bare file name")]
    [InlineData("""{"files":[{"name":".hidden.yaml","text":"rules: []"}]}""", "files", "bare file name")]
    [InlineData("""{"files":[{"name":"notes.txt","text":"rules: []"}]}""", "files", "bare file name")]
    [InlineData("""{"files":[{"name":"Rules.yaml","text":"rules: []"},{"name":"rules.yaml","text":"rules: []"}]}""", "files", "named twice")]
    [InlineData("""{"files":[{"name":"a.yaml","text":"rules: []"}],"remove":["A.yaml"]}""", "files", "named twice")]
    [InlineData("""{"files":[{"name":"a.yaml"}]}""", "files", "name and its text")]
    [InlineData("""{"files":[{"name":"zz.yaml","text":"rules:\n  - id: x\n    decision: maybe\n"}]}""", "files", "zz.yaml:3")]
    public async Task ABadCandidate_IsA400NamingTheField_AndNeverTheHostsPath(string json, string field, string message)
    {
        var response = await _host.CreateClientAs("sam@example.com").PostAsync("/api/policy/replay", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToList();
        errors.ShouldContain(e => e.Contains(message, StringComparison.Ordinal), text);
        text.ShouldNotContain(_policies);
    }

    private async Task<(string AgentId, string RunId)> RunWithAnAllowedAndADeniedReadAsync()
    {
        var agentId = await RunsApi.CreateAgentAsync(_host);
        _model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_ok"), new ToolCall("slack-read_channel", "{\"channel\":\"C0EXEC\"}", "call_no")]),
            new ModelReply.Text("Done."));
        var run = await RunsApi.RunToEndAsync(_host, agentId, "Read both channels");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var runId = run.GetProperty("id").GetString()!;
        await RunsApi.AuditTypesAsync(_host, runId);
        return (agentId, runId);
    }
}
