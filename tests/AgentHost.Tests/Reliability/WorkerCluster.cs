using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Tests.Email;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using AgentHost.Tests.Postgres;
using AgentHost.Tests.Slack;

namespace AgentHost.Tests.Reliability;

/// <summary>
/// A web host (in this test process) and real `--role worker` processes on one fresh PostgreSQL
/// database, with the model and Slack emulated and mail going to the real SMTP sink. Each run's input
/// says what it does: "slack N" posts in the granted channel (allowed), "mail N" mails a partner (needs
/// approval). The effects are observed where they land, so a repeat or a loss cannot hide.
/// </summary>
internal sealed class WorkerCluster : IAsyncDisposable
{
    public const string Channel = "C0OPS";

    private readonly string _marker = "cluster" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "agenthost-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly List<WorkerProcess> _workers = [];
    private readonly HashSet<string> _ended = [];
    private readonly ModelEmulator _model;
    private readonly SlackEmulator _slack;
    private readonly Dictionary<string, string> _settings;

    private WorkerCluster(ModelEmulator model, SlackEmulator slack, int leaseSeconds)
    {
        _model = model;
        _slack = slack;
        Directory.CreateDirectory(_directory);
        _model.Respond = ObeyTheInput;
        _settings = Settings(TestPostgres.Database(_marker), leaseSeconds);
        Web = new AgentHostFactory(new Dictionary<string, string?>(_settings.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))) { ["Role"] = "web" }, _directory) { OwnsData = false };
        Owner = Web.CreateClientAs("alice@example.com");
        Approver = Web.CreateClientAs("bob@example.com");
        Security = Web.CreateClientAs("sam@example.com");
    }

    public AgentHostFactory Web { get; }

    public HttpClient Owner { get; }

    public HttpClient Approver { get; }

    public HttpClient Security { get; }

    public List<string> RunIds { get; } = [];

    public string LogFile => Path.Combine(_directory, "workers.log");

    /// <summary>A short lease ends a killed worker's runs quickly; a long one keeps a starved but live worker's.</summary>
    public static async Task<WorkerCluster> StartAsync(int leaseSeconds)
    {
        var model = await ModelEmulator.StartAsync();
        var slack = await SlackEmulator.StartAsync(Channel, SlackHostTest.ApprovalChannel);

        // The agent's channel must be its owner's (OwnerAuthority).
        slack.AddUser("U0ALICE01", "alice", "alice@example.com");
        slack.Join(Channel, "U0ALICE01");
        return new WorkerCluster(model, slack, leaseSeconds);
    }

    public WorkerProcess StartWorker()
    {
        var worker = WorkerProcess.Start(_settings, LogFile);
        _workers.Add(worker);
        return worker;
    }

    public async Task<string> CreateAgentAsync(int maxConcurrentRuns = 50)
    {
        var created = await Owner.PostAsJsonAsync("/api/agents", new
        {
            name = "Cluster probe",
            instructions = "Do what the input says.",
            tools = new[] { "slack.post_message", "email.send" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = [Channel], ["email.recipientDomains"] = ["partner.test"] },
            budgets = new { tokensPerRun = 50_000, tokensPerDay = 50_000_000, maxTurns = 5, maxConcurrentRuns },
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Starts run number <see cref="RunIds"/>.Count; even numbers post in Slack, odd ones mail (approval).</summary>
    public async Task<string> StartRunAsync(string agentId)
    {
        var number = RunIds.Count.ToString(CultureInfo.InvariantCulture);
        var input = (RunIds.Count % 2 == 0 ? "slack " : "mail ") + number;
        // The agent's concurrency budget pushes back (429) while a dead worker's runs wait out their
        // lease; a client honours that by approving what waits and trying again.
        var started = await Eventually.ReturnsAsync(
            async () =>
            {
                var response = await Owner.PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input });
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await ApprovePendingAsync();
                }

                return response;
            },
            response => response.StatusCode != HttpStatusCode.TooManyRequests,
            $"the agent's concurrency budget admits run {number}");

        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        RunIds.Add(id);
        return id;
    }

    public async Task<int> ApprovePendingAsync()
    {
        var pending = await Approver.GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        foreach (var approval in pending.EnumerateArray())
        {
            var decided = await Approver.PostAsJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/decision", new { decision = "approve" });
            decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        }

        return pending.GetArrayLength();
    }

    /// <summary>
    /// Approves whatever waits until every run has ended. There is no budget for the whole drain, which
    /// depends on how busy the machine is, only for progress: it fails once no run has ended for
    /// <see cref="Eventually.Budget"/>, naming what the open runs show and what the workers last logged.
    /// </summary>
    public async Task DrainAsync()
    {
        var open = RunIds.Where(id => !_ended.Contains(id)).ToList();
        try
        {
            while (open.Count > 0)
            {
                var before = open.Count;
                open = await Eventually.ReturnsAsync(OpenRunsAsync, still => still.Count < before, $"one of {before} open runs ends");
            }
        }
        catch (TimeoutException stalled)
        {
            // The workers' own account is the evidence, and its folder goes with the cluster: it travels in the failure.
            throw new TimeoutException($"{stalled.Message}{Environment.NewLine}Last lines of the workers' log:{Environment.NewLine}{await LogTailAsync(60)}", stalled);
        }
    }

    private async Task<string> LogTailAsync(int lines)
    {
        if (!File.Exists(LogFile))
        {
            return "(no log written)";
        }

        // The workers may still be appending: read beside them.
        await using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var all = (await reader.ReadToEndAsync()).Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    private async Task<List<string>> OpenRunsAsync()
    {
        await ApprovePendingAsync();
        var still = new List<string>();
        foreach (var id in RunIds.Where(id => !_ended.Contains(id)))
        {
            var run = await Owner.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
            if (run.GetProperty("status").GetString() is "succeeded" or "failed" or "stopped")
            {
                _ended.Add(id);
            }
            else
            {
                still.Add($"{id} {run.GetProperty("status").GetString()}");
            }
        }

        return still;
    }

    /// <summary>
    /// The invariants: every run ended; no effect twice; an executed call has its effect and every effect
    /// its write-ahead record; every acknowledged run its queued event; no approval left; the chain verifies.
    /// </summary>
    public async Task<CrashReport> CheckAsync(int trials)
    {
        var posts = _slack.CallsOf("chat.postMessage").Where(c => c.Ok && c.Arguments["channel"]?.GetValue<string>() == Channel)
            .Select(c => c.Arguments["text"]!.GetValue<string>()).Where(t => t.StartsWith(_marker, StringComparison.Ordinal));
        var effects = posts.Concat(MailServers.Sent(_marker).Select(m => m.Subject)).ToList();
        effects.GroupBy(e => e).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("no action may be executed twice");

        var report = new CrashReport(trials, RunIds.Count);
        foreach (var (id, index) in RunIds.Select((id, index) => (id, index)))
        {
            var run = await Owner.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
            var status = run.GetProperty("status").GetString()!;
            status.ShouldBeOneOf(["succeeded", "failed"], run.ToString());
            var calls = run.GetProperty("toolCalls").EnumerateArray().Select(c => c.GetProperty("outcome").GetString()!).ToList();
            var happened = effects.Contains(string.Create(CultureInfo.InvariantCulture, $"{_marker} {index}"));
            if (calls.Contains("executed"))
            {
                happened.ShouldBeTrue($"run {id} recorded its call executed, but the effect is missing");
            }

            if (happened)
            {
                calls.ShouldContain(c => c == "executed" || c == "outcome_unknown", $"run {id} had an effect without a write-ahead record: {run}");
            }

            var types = (await Security.GetFromJsonAsync<JsonElement>($"/api/audit?runId={id}")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToList();
            types.ShouldContain("run.queued", $"run {id} was acknowledged (202) but its queued event is missing");
            report.Count(status, calls, happened);
        }

        (await Approver.GetFromJsonAsync<JsonElement>("/api/approvals?status=pending")).GetArrayLength().ShouldBe(0, "every approval was decided");
        var verify = await Security.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        verify.GetProperty("valid").GetBoolean().ShouldBeTrue(verify.ToString());
        report.AuditEvents = verify.GetProperty("count").GetInt64();
        report.Effects = effects.Count;
        return report;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        Web.Dispose();
        await _model.DisposeAsync();
        await _slack.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private ModelReply ObeyTheInput(JsonObject request)
    {
        var messages = request["messages"]!.AsArray();
        if (messages.Any(m => m?["role"]?.GetValue<string>() == "tool"))
        {
            return new ModelReply.Text("done");
        }

        var input = messages.Last(m => m?["role"]?.GetValue<string>() == "user")!["content"]!.ToJsonString();
        var text = $"{_marker} {new string(input.Where(char.IsAsciiDigit).ToArray())}";
        return input.Contains("slack", StringComparison.Ordinal)
            ? new ModelReply.ToolCalls([new ToolCall("slack-post_message", JsonSerializer.Serialize(new { channel = Channel, text }), "call_post")])
            : new ModelReply.ToolCalls([new ToolCall("email-send", JsonSerializer.Serialize(new { to = new[] { "ops@partner.test" }, subject = text, body = "status" }), "call_mail")]);
    }

    private Dictionary<string, string> Settings(string connectionString, int leaseSeconds)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:AgentHost"] = connectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Runs:LeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
            ["Model:Endpoint"] = _model.Endpoint.ToString(),
            ["Model:ApiKey"] = _model.ApiKey,
            ["Model:Name"] = "emulated-model",
            ["Policies:Path"] = Path.Combine(RepositoryRoot.Path, "policies"),
            ["Directory:Path"] = Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml"),
            ["Audit:KeyPath"] = Path.Combine(_directory, "audit-signing-key.pem"),
            ["Audit:CheckpointFile"] = Path.Combine(_directory, "checkpoints.log"),

            // One agent is driven as fast as the cluster goes: this measures throughput, not its blast radius.
            ["Limits:EffectsPerAgentPerMinute"] = "10000",
        };
        foreach (var (key, value) in SlackWorkspace.HostSettings(_slack).Concat(MailServers.HostSettings(MailServers.NewUser())))
        {
            settings[key] = value!;
        }

        return settings;
    }
}
