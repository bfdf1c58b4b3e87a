using System.Diagnostics;
using System.Globalization;
using AgentHost.Core.Agents;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Policies.Replay;
using AgentHost.Core.Runs;
using Microsoft.Data.Sqlite;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Policy replay over N recorded calls in a SQLite store: reading them from the trail, then putting each
/// to the shipped set and to a candidate (the shipped set plus a production deploy freeze), on every core.
/// </summary>
public static class ReplayHarness
{
    private const string Freeze = "rules:\n  - id: freeze-production\n    match: { function: deploy.create_deployment }\n    when:\n      - argument: environment\n        equals: production\n    decision: deny\n";

    public static async Task RunAsync(TextWriter output, int calls, string workDirectory)
    {
        var directory = Path.Combine(workDirectory, $"replay-{Guid.NewGuid():N}");
        await using var log = await HarnessLog.StartAsync(directory);
        await log.Writer.StopAsync();
        var database = log.Database;
        var catalog = AgentHost.Tools.BuiltInPlugins.Catalog();
        var agents = new AgentStore(database, TimeProvider.System);
        var runs = new RunStore(database, TimeProvider.System);
        var agentIds = new List<string>();
        var runIds = new List<string>();
        for (var a = 0; a < 20; a++)
        {
            var agent = await agents.CreateAsync("alice@example.com", new AgentDefinition(
                $"Agent {a}", null, "x", null, ["slack.read_channel", "slack.post_message", "email.send", "deploy.create_deployment"],
                new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["C0OPS"], ["email.recipientDomains"] = ["partner.test"], ["github.repos"] = ["acme/web"], ["github.environments"] = ["staging", "production"] },
                null, null), CancellationToken.None);
            agentIds.Add(agent.Id);
            for (var r = 0; r < 25; r++)
            {
                runIds.Add((await runs.CreateAsync(agent.Id, "bob@example.com", "x", CancellationToken.None)).Id);
            }
        }

        var fill = Stopwatch.StartNew();
        await FillAsync(database.FilePath, calls, agentIds, runIds);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled {calls} recorded calls ({calls * 2} audit events) in {fill.Elapsed.TotalSeconds:F1} s"));

        var shipped = PolicyFixtures.Shipped();
        var files = PolicyLoader.ReadDirectory(Path.Combine(PolicyFixtures.RepositoryRoot(), "policies"));
        var candidate = PolicyLoader.Load([.. files, new PolicyFile("zz-freeze.yaml", Freeze)], catalog).PolicySet!;
        var people = PolicyFixtures.People();

        output.WriteLine("| step | calls | seconds | calls/s |");
        output.WriteLine("|---|---|---|---|");
        for (var round = 0; round < 3; round++)
        {
            var read = Stopwatch.StartNew();
            var recorded = await RecordedCallReader.ReadAsync(database, DateTimeOffset.UnixEpoch, calls, CancellationToken.None);
            var readSeconds = read.Elapsed.TotalSeconds;
            var contexts = (await agents.ListAsync(null, CancellationToken.None)).ToDictionary(a => a.Id, ToolGate.ContextOf, StringComparer.Ordinal);
            var report = PolicyReplay.Run(DateTimeOffset.UnixEpoch, recorded, contexts, shipped, candidate, people, catalog);
            var replaySeconds = report.Elapsed.TotalSeconds;
            if (report.ChangedCount == 0 || report.Replayed != calls)
            {
                throw new InvalidOperationException($"the freeze must change the production deploys: {report.ChangedCount} changed of {report.Replayed}");
            }

            var label = round == 0 ? " (first, cold)" : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| read from the SQLite trail{label} | {recorded.Count} | {readSeconds:F2} | {recorded.Count / readSeconds:F0} |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| replay against both sets, {Environment.ProcessorCount} cores{label} ({report.ChangedCount} changed) | {report.Replayed} | {replaySeconds:F2} | {report.Replayed / replaySeconds:F0} |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| end to end{label} | {report.Replayed} | {readSeconds + replaySeconds:F2} | {report.Replayed / (readSeconds + replaySeconds):F0} |"));
        }
    }

    /// <summary>action.requested and policy.decided pairs as the gate writes them; leaf hashes are not checked here.</summary>
    private static async Task FillAsync(string file, int calls, List<string> agentIds, List<string> runIds)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO audit_events (seq, ts, type, actor, agent_id, run_id, data, leaf_hash) VALUES ($seq, $ts, $type, $actor, $agent, $run, $data, $leaf)";
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        var actor = insert.Parameters.Add("$actor", SqliteType.Text);
        var agent = insert.Parameters.Add("$agent", SqliteType.Text);
        var run = insert.Parameters.Add("$run", SqliteType.Text);
        var data = insert.Parameters.Add("$data", SqliteType.Text);
        insert.Parameters.AddWithValue("$leaf", new byte[32]);
        var start = AgentHost.Core.Storage.StoreTime.ToMicroseconds(TimeProvider.System.GetUtcNow()) - 1_000_000L * calls;
        var next = Convert.ToInt64(await new SqliteCommand("SELECT COALESCE(MAX(seq), 0) FROM audit_events", connection, transaction).ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        for (var i = 0; i < calls; i++)
        {
            var (function, arguments, decision, rule) = (i % 4) switch
            {
                0 => ("slack.read_channel", "{\"channel\":\"C0OPS\"}", "allow", "slack-read-granted-channels"),
                1 => ("email.send", "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"green\"}", "require_approval", "email-send-external-needs-approval"),
                2 => ("deploy.create_deployment", $"{{\"repo\":\"acme/web\",\"ref\":\"main\",\"environment\":\"{(i % 8 == 2 ? "production" : "staging")}\"}}", "allow", "deploy-granted-environments"),
                _ => ("slack.post_message", "{\"channel\":\"C0OPS\",\"text\":\"done\"}", "allow", "slack-post-granted-channels"),
            };
            var callId = $"call_{i}";
            (agent.Value, run.Value) = (agentIds[i % agentIds.Count], runIds[i % runIds.Count]);
            foreach (var (eventType, eventActor, json) in new[]
            {
                ("action.requested", "agent:" + agent.Value, $"{{\"callId\":\"{callId}\",\"turn\":1,\"function\":\"{function}\",\"arguments\":{arguments},\"tainted\":[],\"taintSources\":{{}}}}"),
                ("policy.decided", "system", $"{{\"callId\":\"{callId}\",\"function\":\"{function}\",\"decision\":\"{decision}\",\"rules\":[\"{rule}\"],\"policyHash\":\"x\"}}"),
            })
            {
                (seq.Value, ts.Value, type.Value, actor.Value, data.Value) = (++next, start + i * 1_000_000L, eventType, eventActor, json);
                await insert.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }
}
