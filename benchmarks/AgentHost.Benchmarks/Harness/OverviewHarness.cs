using System.Diagnostics;
using System.Globalization;
using AgentHost.Audit.Overview;
using AgentHost.Audit.Siem;
using AgentHost.Core.Agents;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// The security overview (GET /api/audit/overview) over a trail of N events spread evenly over the last
/// 90 days, as the gate writes them: per call action.requested, policy.decided and action.executed, and a
/// refused-requests event every 100 events; 20 agents, 30 rules. Timed for periods of 1, 7, 30 and 90
/// days (90 reads every event), on SQLite and, with AGENTHOST_BENCH_POSTGRES, on PostgreSQL.
/// </summary>
public static class OverviewHarness
{
    private const int Agents = 20;
    private const int Rules = 30;
    private static readonly int[] Periods = [1, 7, 30, 90];

    public static async Task RunAsync(TextWriter output, int events, string workDirectory, string? postgres)
    {
        output.WriteLine("| store | period (days) | policy decisions counted | first (cold) ms | median of the next 5, ms |");
        output.WriteLine("|---|---|---|---|---|");
        var directory = Path.Combine(workDirectory, $"overview-{Guid.NewGuid():N}");
        await using (var log = await HarnessLog.StartAsync(directory))
        {
            await log.Writer.StopAsync();
            var agents = await AgentsAsync(log.Database);
            var fill = Stopwatch.StartNew();
            await FillSqliteAsync(log.Database.FilePath, events, agents);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQLite: filled {events} events in {fill.Elapsed.TotalSeconds:F1} s"));
            await MeasureAsync(output, "SQLite", log.Database);
        }

        if (postgres is not null)
        {
            var connectionString = await PostgresAuditAppendHarness.CreateDatabaseAsync(postgres);
            await using var database = new PostgresDatabase(connectionString);
            await SchemaMigrator.MigrateAsync(database, Schema.Migrations, CancellationToken.None);
            var agents = await AgentsAsync(database);
            var fill = Stopwatch.StartNew();
            await FillPostgresAsync(connectionString, events, agents);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL: filled {events} events in {fill.Elapsed.TotalSeconds:F1} s"));
            await MeasureAsync(output, "PostgreSQL", database);
        }
    }

    private static async Task MeasureAsync(TextWriter output, string store, StoreDatabase database)
    {
        var overview = new SecurityOverview(
            database,
            new AgentStore(database, TimeProvider.System),
            AgentHost.Tools.BuiltInPlugins.Catalog(),
            new SiemStreamStatus(Options.Create(new SiemStreamOptions()), new SiemCursorStore(database)),
            TimeProvider.System);
        foreach (var days in Periods)
        {
            var times = new List<double>();
            long counted = 0;
            for (var round = 0; round < 6; round++)
            {
                var watch = Stopwatch.StartNew();
                var report = await overview.ReadAsync(days, CancellationToken.None);
                times.Add(watch.Elapsed.TotalMilliseconds);
                counted = report.Decisions.Total;
            }

            var warm = times.Skip(1).Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {store} | {days} | {counted:N0} | {times[0]:F0} | {warm[warm.Count / 2]:F0} |"));
        }
    }

    private static async Task<List<string>> AgentsAsync(StoreDatabase database)
    {
        var store = new AgentStore(database, TimeProvider.System);
        var ids = new List<string>();
        for (var a = 0; a < Agents; a++)
        {
            var agent = await store.CreateAsync("alice@example.com", new AgentDefinition(
                $"Agent {a}", null, "x", null, a % 2 == 0 ? ["slack.read_channel", "email.send", "deploy.rollback"] : ["slack.read_channel"],
                new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["C0OPS"] }, null, null), CancellationToken.None);
            ids.Add(agent.Id);
        }

        return ids;
    }

    /// <summary>The i-th event: (type, actor, agent, run, data).</summary>
    private static (string Type, string Actor, string? Agent, string? Run, string Data) Event(long i, List<string> agents)
    {
        if (i % 100 == 99)
        {
            return ("auth.denied", "system", null, null, "{\"count\":3,\"kinds\":{\"403\":3},\"path\":\"/api/audit\",\"reason\":\"forbidden\",\"remoteAddress\":\"10.0.0.7\",\"window\":\"x\"}");
        }

        var call = i / 3;
        var agent = agents[(int)(call % agents.Count)];
        var run = $"run_{call / 10}";
        var decision = (call % 10) switch { 0 => "deny", 1 or 2 => "require_approval", _ => "allow" };
        return (i % 3) switch
        {
            0 => ("action.requested", "agent:" + agent, agent, run, $"{{\"arguments\":{{\"channel\":\"C0OPS\",\"text\":\"status of the nightly build {call}\"}},\"callId\":\"call_{call}\",\"function\":\"slack.post_message\",\"taintSources\":{{}},\"tainted\":[],\"turn\":1}}"),
            1 => ("policy.decided", "system", agent, run, $"{{\"callId\":\"call_{call}\",\"decision\":\"{decision}\",\"function\":\"slack.post_message\",\"policyHash\":\"9f2c\",\"rules\":[\"rule-{call % Rules}\"]}}"),
            _ => ("action.executed", "agent:" + agent, agent, run, $"{{\"callId\":\"call_{call}\",\"function\":\"slack.post_message\",\"result\":{{\"ok\":true,\"ts\":\"1700000000.{call}\"}}}}"),
        };
    }

    private static long Timestamp(long i, int events, long start) => start + (i * 90 * 86_400_000_000L / events);

    private static long Start() => StoreTime.ToMicroseconds(TimeProvider.System.GetUtcNow()) - (90 * 86_400_000_000L) + 60_000_000L;

    /// <summary>Events as the writer lays them out; leaf hashes are not checked here.</summary>
    private static async Task FillSqliteAsync(string file, int events, List<string> agents)
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
        var next = Convert.ToInt64(await new SqliteCommand("SELECT COALESCE(MAX(seq), 0) FROM audit_events", connection, transaction).ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var start = Start();
        for (long i = 0; i < events; i++)
        {
            var e = Event(i, agents);
            (seq.Value, ts.Value, type.Value, actor.Value, agent.Value, run.Value, data.Value) =
                (next + i + 1, Timestamp(i, events, start), e.Type, e.Actor, (object?)e.Agent ?? DBNull.Value, (object?)e.Run ?? DBNull.Value, e.Data);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task FillPostgresAsync(string connectionString, int events, List<string> agents)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var next = new NpgsqlCommand("SELECT COALESCE(MAX(seq), 0) FROM audit_events", connection);
        var first = (long)(await next.ExecuteScalarAsync())!;
        var start = Start();
        var leaf = new byte[32];
        await using (var import = await connection.BeginBinaryImportAsync("COPY audit_events (seq, ts, type, actor, agent_id, run_id, data, leaf_hash) FROM STDIN (FORMAT BINARY)"))
        {
            for (long i = 0; i < events; i++)
            {
                var e = Event(i, agents);
                await import.StartRowAsync();
                await import.WriteAsync(first + i + 1, NpgsqlDbType.Bigint);
                await import.WriteAsync(Timestamp(i, events, start), NpgsqlDbType.Bigint);
                await import.WriteAsync(e.Type, NpgsqlDbType.Text);
                await import.WriteAsync(e.Actor, NpgsqlDbType.Text);
                await WriteTextAsync(import, e.Agent);
                await WriteTextAsync(import, e.Run);
                await import.WriteAsync(e.Data, NpgsqlDbType.Text);
                await import.WriteAsync(leaf, NpgsqlDbType.Bytea);
            }

            await import.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE audit_events", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter import, string? text) =>
        text is null ? import.WriteNullAsync() : import.WriteAsync(text, NpgsqlDbType.Text);
}
