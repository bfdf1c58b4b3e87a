using System.Diagnostics;
using System.Globalization;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Free-text audit search over N events on SQLite (the search file's FTS5 index, filled by the real
/// indexer) and on PostgreSQL (M025's audit_search_vectors and its GIN index, filled by the real
/// indexer after a COPY into the log): newest-first pages of 50, as the audit page asks, in six shapes.
/// Events are bulk-inserted as the gate and approvals write them (leaf hashes are not checked here).
/// </summary>
public static class SearchHarness
{
    private const int RunsPerShape = 40;
    private const int RareWords = 40;

    public static async Task RunAsync(TextWriter output, int events, string? postgres, string workDirectory)
    {
        var corpus = new Corpus(events);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{events} events; {Environment.ProcessorCount} cores; pages of 50 newest first"));
        var directory = Path.Combine(workDirectory, $"search-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var sqlite = new SqliteDatabase($"Data Source={Path.Combine(directory, "audit.db")}");
        await SchemaMigrator.MigrateAsync(sqlite, Schema.Migrations, CancellationToken.None);
        var agents = await CreateAgentsAsync(sqlite);
        var watch = Stopwatch.StartNew();
        await FillSqliteAsync(sqlite.FilePath, corpus, agents);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQLite: filled in {watch.Elapsed.TotalSeconds:F1} s"));
        watch.Restart();
        var indexer = new AuditSearchIndexer(sqlite, TimeProvider.System, NullLogger<AuditSearchIndexer>.Instance);
        while (await indexer.IndexBatchAsync(CancellationToken.None) > 0)
        {
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQLite: indexed in {watch.Elapsed.TotalSeconds:F1} s ({events / watch.Elapsed.TotalSeconds:F0} events/s); search file {new FileInfo(AuditSearchSchema.SearchFilePath(sqlite.FilePath)).Length / 1048576.0:F0} MB, log {new FileInfo(sqlite.FilePath).Length / 1048576.0:F0} MB"));
        await MeasureAsync(output, "SQLite", new AuditReader(sqlite), corpus);
        SqliteConnection.ClearAllPools();

        if (postgres is null)
        {
            output.WriteLine("PostgreSQL: skipped (set AGENTHOST_BENCH_POSTGRES)");
            return;
        }

        await using var database = new PostgresDatabase(await PostgresAuditAppendHarness.CreateDatabaseAsync(postgres));
        await SchemaMigrator.MigrateAsync(database, Schema.Migrations, CancellationToken.None);
        var pgAgents = await CreateAgentsAsync(database);
        watch.Restart();
        await FillPostgresAsync(database, corpus, pgAgents);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL: filled by COPY in {watch.Elapsed.TotalSeconds:F1} s"));
        watch.Restart();
        var pgIndexer = new PostgresAuditSearchIndexer(database, TimeProvider.System, NullLogger<PostgresAuditSearchIndexer>.Instance);
        while (await pgIndexer.IndexBatchAsync(CancellationToken.None) > 0)
        {
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL: indexed in {watch.Elapsed.TotalSeconds:F1} s ({events / watch.Elapsed.TotalSeconds:F0} events/s); then VACUUM ANALYZE"));
        await database.ExecuteAsync("VACUUM ANALYZE audit_events", null, CancellationToken.None);
        await database.ExecuteAsync("VACUUM ANALYZE audit_search_vectors", null, CancellationToken.None);
        var size = await database.ScalarAsync<string>("SELECT pg_size_pretty(pg_total_relation_size('audit_events')) || ' log, ' || pg_size_pretty(pg_relation_size('audit_search_vectors')) || ' vectors, ' || pg_size_pretty(pg_relation_size('ix_audit_search_vectors_search')) || ' GIN'", null, CancellationToken.None);
        output.WriteLine($"PostgreSQL: {size}");
        await MeasureAsync(output, "PostgreSQL", new AuditReader(database), corpus);
    }

    private static async Task MeasureAsync(TextWriter output, string store, AuditReader reader, Corpus corpus)
    {
        var random = new Random(7);
        var shapes = new (string Name, Func<int, AuditFilter> Filter)[]
        {
            ("a word (mid frequency)", i => new AuditFilter(Text: corpus.Vocabulary[40 + (i % 40)])),
            ("word + person", i => new AuditFilter(Text: corpus.Vocabulary[i % 20], Person: "user:" + corpus.People[random.Next(corpus.People.Length)].ToUpperInvariant())),
            ("agent + decision + time range (1 day)", i =>
            {
                var window = Math.Min(86_400, corpus.Events / 10);
                var from = corpus.Start.AddSeconds(random.Next(corpus.Events - window));
                return new AuditFilter(AgentName: Corpus.AgentName(random.Next(Corpus.Agents)).ToLowerInvariant(), Decision: "DENY", From: from, To: from.AddSeconds(window));
            }),
            ("a rare term (~10 events)", i => new AuditFilter(Text: Corpus.Rare(i % RareWords))),
            ("a common term (~50% of events)", i => new AuditFilter(Text: i % 2 == 0 ? corpus.Vocabulary[0] : "requested")),
            ("function + rule + prefix", i => new AuditFilter(Text: corpus.Vocabulary[100 + (i % 50)][..3] + "*", Function: Corpus.Functions[i % 4].Name, Rule: Corpus.Functions[i % 4].Rule)),
        };
        output.WriteLine();
        output.WriteLine($"| {store}: shape | searches | mean rows | p50 (ms) | p95 (ms) | p99 (ms) |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, filter) in shapes)
        {
            for (var i = 0; i < 5; i++)
            {
                await reader.BrowseAsync(filter(i + 1000), null, null, 50, CancellationToken.None);
            }

            var latencies = new LatencyRecorder(RunsPerShape);
            var rows = 0L;
            for (var i = 0; i < RunsPerShape; i++)
            {
                var f = filter(i);
                var start = Stopwatch.GetTimestamp();
                var page = await reader.BrowseAsync(f, null, null, 50, CancellationToken.None);
                latencies.Record(Stopwatch.GetTimestamp() - start);
                rows += page.Events.Count;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {RunsPerShape} | {rows / (double)RunsPerShape:F1} | {latencies.PercentileMicroseconds(50) / 1000:F1} | {latencies.PercentileMicroseconds(95) / 1000:F1} | {latencies.PercentileMicroseconds(99) / 1000:F1} |"));
        }
    }

    private static async Task<List<string>> CreateAgentsAsync(StoreDatabase database)
    {
        var store = new AgentStore(database, TimeProvider.System);
        var ids = new List<string>();
        for (var a = 0; a < Corpus.Agents; a++)
        {
            ids.Add((await store.CreateAsync("alice@example.com", new AgentDefinition(Corpus.AgentName(a), null, "x", null, [], new Dictionary<string, IReadOnlyList<string>>(), null, null), CancellationToken.None)).Id);
        }

        return ids;
    }

    private static async Task FillSqliteAsync(string file, Corpus corpus, List<string> agents)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO audit_events (seq, ts, type, actor, agent_id, run_id, data, leaf_hash) VALUES ($seq, $ts, $type, $actor, $agent, $run, $data, $leaf)";
        var p = new[] { "$seq", "$ts", "$type", "$actor", "$agent", "$run", "$data" }.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        insert.Parameters.AddWithValue("$leaf", new byte[32]);
        foreach (var e in corpus.Generate(agents))
        {
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value, p[6].Value) = (e.Seq, e.Ts, e.Type, e.Actor, (object?)e.AgentId ?? DBNull.Value, e.RunId, e.Data);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task FillPostgresAsync(PostgresDatabase database, Corpus corpus, List<string> agents)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync(CancellationToken.None);
        await using var import = await connection.BeginBinaryImportAsync("COPY audit_events (seq, ts, type, actor, agent_id, run_id, data, leaf_hash) FROM STDIN (FORMAT BINARY)");
        var leaf = new byte[32];
        foreach (var e in corpus.Generate(agents))
        {
            await import.StartRowAsync();
            await import.WriteAsync(e.Seq, NpgsqlDbType.Bigint);
            await import.WriteAsync(e.Ts, NpgsqlDbType.Bigint);
            await import.WriteAsync(e.Type, NpgsqlDbType.Text);
            await import.WriteAsync(e.Actor, NpgsqlDbType.Text);
            if (e.AgentId is null)
            {
                await import.WriteNullAsync();
            }
            else
            {
                await import.WriteAsync(e.AgentId, NpgsqlDbType.Text);
            }

            await import.WriteAsync(e.RunId, NpgsqlDbType.Text);
            await import.WriteAsync(e.Data, NpgsqlDbType.Text);
            await import.WriteAsync(leaf, NpgsqlDbType.Bytea);
        }

        await import.CompleteAsync();
    }

    private sealed record Row(long Seq, long Ts, string Type, string Actor, string? AgentId, string RunId, string Data);

    /// <summary>A deterministic trail: calls proposed, decided, sometimes approved, executed; runs queued by people; Zipf-like words.</summary>
    private sealed class Corpus(int events)
    {
        public const int Agents = 20;

        public static readonly (string Name, string Rule)[] Functions =
        [
            ("slack.post_message", "slack-post-granted-channels"),
            ("email.send", "email-send-external-needs-approval"),
            ("deploy.create_deployment", "deploy-granted-environments"),
            ("slack.read_channel", "slack-read-granted-channels"),
        ];

        public int Events => events;

        public DateTimeOffset Start { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public string[] Vocabulary { get; } = Words(4000);

        public string[] People { get; } = [.. Enumerable.Range(0, 50).Select(i => $"person{i}@example.com")];

        public static string AgentName(int a) => $"Agent {Syllables(a * 7 + 3)} {a}";

        public static string Rare(int k) => "zephyr" + Syllables(k + 11);

        public IEnumerable<Row> Generate(List<string> agentIds)
        {
            var random = new Random(42);
            var seq = 0L;
            var call = 0;
            var start = StoreTime.ToMicroseconds(Start);
            while (seq < events)
            {
                var agent = agentIds[call % agentIds.Count];
                var run = $"run_{call / 8}";
                var (function, rule) = Functions[call % Functions.Length];
                var decision = random.Next(10) switch { 0 => "deny", 1 or 2 => "require_approval", _ => "allow" };
                var person = People[random.Next(People.Length)];
                var hash = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + new string('0', 48);
                var rows = new List<(string Type, string Actor, string Data)>();
                if (call % 10 == 0)
                {
                    rows.Add(("run.queued", "employee:" + person, $"{{\"request\":\"{Sentence(random, 8, call)}\"}}"));
                }

                rows.Add(("action.requested", "agent:" + agent, $"{{\"arguments\":{{\"environment\":\"{(call % 8 == 2 ? "production" : "staging")}\",\"text\":\"{Sentence(random, 6, call)}\"}},\"argumentsSha256\":\"{hash}\",\"callId\":\"call_{call}\",\"function\":\"{function}\"}}"));
                rows.Add(("policy.decided", "system", $"{{\"callId\":\"call_{call}\",\"decision\":\"{decision}\",\"function\":\"{function}\",\"policyHash\":\"{hash}\",\"rules\":[\"{rule}\"]}}"));
                if (decision == "require_approval")
                {
                    rows.Add(("approval.decided", "approver:" + person, $"{{\"comment\":\"{Sentence(random, 5, call)}\",\"decision\":\"{(random.Next(4) == 0 ? "reject" : "approve")}\"}}"));
                }

                if (decision != "deny")
                {
                    rows.Add(("action.executed", "agent:" + agent, $"{{\"callId\":\"call_{call}\",\"function\":\"{function}\",\"result\":\"{Sentence(random, 4, call)}\"}}"));
                }

                foreach (var (type, actor, data) in rows)
                {
                    if (++seq > events)
                    {
                        yield break;
                    }

                    yield return new Row(seq, start + (seq * 1_000_000L), type, actor, agent, run, data);
                }

                call++;
            }
        }

        /// <summary>Words drawn with a heavy head (the first word in about half the sentences); a rare word in 10 events each.</summary>
        private string Sentence(Random random, int count, int call)
        {
            var words = new string[count];
            for (var i = 0; i < count; i++)
            {
                words[i] = Vocabulary[(int)(Math.Pow(random.NextDouble(), 4) * Vocabulary.Length)];
            }

            var rareEvery = Math.Max(1, events / (RareWords * 10 * 3));
            if (call % rareEvery == 0)
            {
                words[0] = Rare(call / rareEvery % RareWords);
            }

            return string.Join(' ', words);
        }

        private static string[] Words(int count) => [.. Enumerable.Range(0, count).Select(i => Syllables(i + 1))];

        private static string Syllables(int n)
        {
            string[] syllables = ["ka", "lo", "mi", "ren", "tas", "vu", "dor", "pel", "sin", "gra", "bo", "te", "nur", "fal", "qui", "zo"];
            var text = new System.Text.StringBuilder();
            do
            {
                text.Append(syllables[n % syllables.Length]);
                n /= syllables.Length;
            }
            while (n > 0);
            return text.ToString();
        }
    }
}
