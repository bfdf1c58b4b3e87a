using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentHost.Tests.Postgres;

/// <summary>The PostgreSQL store against a real server: schema, append-only audit tables, one chain across writers.</summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "agenthost-pg-" + Guid.NewGuid().ToString("N"));
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _database = new PostgresDatabase(TestPostgres.Database(Guid.NewGuid().ToString("N")));
        await SchemaMigrator.MigrateAsync(_database, Schema.Migrations, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Migrations_AreAppliedOnce_EvenByProcessesStartingTogether()
    {
        var again = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SchemaMigrator.MigrateAsync(_database, Schema.Migrations, CancellationToken.None)));

        again.ShouldAllBe(applied => applied == 0);
        (await ScalarAsync("SELECT COUNT(*) FROM schema_version")).ShouldBe(Schema.Migrations.Count);
    }

    [Theory]
    [InlineData("UPDATE audit_events SET data = '{}' WHERE seq = 1")]
    [InlineData("DELETE FROM audit_events WHERE seq = 1")]
    [InlineData("TRUNCATE audit_events")]
    [InlineData("UPDATE audit_checkpoints SET note = 'forged'")]
    [InlineData("DELETE FROM audit_checkpoints")]
    public async Task TheAuditTables_RefuseRewrites(string sql)
    {
        await using var writer = await StartWriterAsync();
        await writer.AppendAsync(new AuditEntry("test.event", AuditActor.System, null, null, new() { ["n"] = 1 }), CancellationToken.None);
        await writer.CheckpointNowAsync(CancellationToken.None);

        var refused = await Should.ThrowAsync<PostgresException>(() => ScalarAsync(sql));

        refused.MessageText.ShouldContain("is append-only");
        (await ScalarAsync("SELECT COUNT(*) FROM audit_events")).ShouldBe(1);
    }

    [Fact]
    public async Task TwoWriters_OnOneDatabase_KeepOneChainThatVerifies()
    {
        // Two writers stand for two processes: each has its own in-memory tree and its own connection.
        await using var first = await StartWriterAsync();
        await using var second = await StartWriterAsync();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? first : second)
            .AppendAsync(new AuditEntry("test.event", AuditActor.System, null, $"run_{i}", new() { ["i"] = i }), CancellationToken.None)));
        await first.CheckpointNowAsync(CancellationToken.None);
        await second.CheckpointNowAsync(CancellationToken.None);

        var reader = new AuditReader(_database);
        var events = await reader.StreamAsync(new AuditFilter(), null, null, CancellationToken.None).ToListAsync();
        var notes = await reader.CheckpointNotesAsync(CancellationToken.None);
        using var key = CheckpointVerifier.FromPublicKeyPem(_signer!.PublicKeyPem);
        var result = new AuditVerifier(key).Verify(events, notes);

        events.Select(e => e.Sequence).ShouldBe(Enumerable.Range(1, 200).Select(i => (long)i));
        result.Valid.ShouldBeTrue(result.Reason);
        result.Count.ShouldBe(200);
        notes.Count.ShouldBe(2);
        first.Head.Size.ShouldBe(200);
        second.Head.Size.ShouldBe(200, "the second writer caught up with what the first committed before its checkpoint");
        first.Head.Root.ShouldBe(second.Head.Root);
    }

    [Fact]
    public async Task Search_FindsByRunAgentActorAndType()
    {
        await using var writer = await StartWriterAsync();
        await writer.AppendAsync(new AuditEntry("run.started", AuditActor.Employee("alice@example.com"), "ag_1", "run_1", new()), CancellationToken.None);
        await writer.AppendAsync(new AuditEntry("run.started", AuditActor.System, "ag_2", "run_2", new()), CancellationToken.None);
        var reader = new AuditReader(_database);

        (await reader.SearchAsync(new AuditFilter(RunId: "run_2"), null, 10, CancellationToken.None)).Events.ShouldHaveSingleItem().AgentId.ShouldBe("ag_2");
        (await reader.SearchAsync(new AuditFilter(Actor: "employee:alice@example.com"), null, 10, CancellationToken.None)).Events.ShouldHaveSingleItem().RunId.ShouldBe("run_1");
        (await reader.SearchAsync(new AuditFilter(Type: "run.started"), null, 10, CancellationToken.None)).Events.Count.ShouldBe(2);
    }

    private CheckpointSigner? _signer;

    private async Task<AuditLogWriter> StartWriterAsync()
    {
        var options = new AuditOptions { KeyPath = Path.Combine(_directory, "key.pem"), CheckpointFile = Path.Combine(_directory, "checkpoints.log"), CheckpointInterval = TimeSpan.FromMinutes(10) };
        _signer ??= CheckpointSigner.LoadOrCreate(options.KeyPath, options.Origin);
        var writer = new AuditLogWriter(_database, options, SecretRedactor.None, _signer, TimeProvider.System, NullLogger<AuditLogWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        return writer;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
