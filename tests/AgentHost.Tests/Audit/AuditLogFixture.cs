using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Audit;

/// <summary>A real audit log on a real SQLite file in a fresh folder, with a fake clock.</summary>
public sealed class AuditLogFixture : IAsyncDisposable
{
    private AuditLogFixture(string directory, AuditOptions options, FakeTimeProvider time, SecretRedactor redactor)
    {
        Directory = directory;
        Options = options;
        Time = time;
        Redactor = redactor;
        DatabasePath = Path.Combine(directory, "agenthost.db");
        Database = new SqliteDatabase($"Data Source={DatabasePath}");
        Signer = CheckpointSigner.LoadOrCreate(options.KeyPath, options.Origin);
        Writer = new AuditLogWriter(Database, options, redactor, Signer, time, NullLogger<AuditLogWriter>.Instance);
        Reader = new AuditReader(Database);
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    public AuditOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public SecretRedactor Redactor { get; }

    public SqliteDatabase Database { get; }

    public CheckpointSigner Signer { get; }

    public AuditLogWriter Writer { get; private set; }

    public AuditReader Reader { get; }

    public static async Task<AuditLogFixture> StartAsync(int checkpointEvery = 1000, IEnumerable<string>? secrets = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "agenthost-audit-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var options = new AuditOptions
        {
            CheckpointEveryEvents = checkpointEvery,
            CheckpointInterval = TimeSpan.FromSeconds(30),
            KeyPath = Path.Combine(directory, "key.pem"),
            CheckpointFile = Path.Combine(directory, "checkpoints.log"),
        };
        var fixture = new AuditLogFixture(directory, options, new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)), new SecretRedactor(secrets ?? []));
        await SchemaMigrator.MigrateAsync(fixture.Database, Schema.Migrations, CancellationToken.None);
        await fixture.Writer.StartAsync(CancellationToken.None);
        return fixture;
    }

    public CheckpointVerifier PublicKey() => CheckpointVerifier.FromPublicKeyPem(Signer.PublicKeyPem);

    public async Task<AuditEvent> AppendAsync(string type = AuditEventTypes.RunStarted, string? runId = "run-1", string? note = null)
    {
        Time.Advance(TimeSpan.FromMilliseconds(3));
        return await Writer.AppendAsync(new AuditEntry(type, AuditActor.Employee("alice@example.com"), "agent-1", runId, new() { ["note"] = note ?? type }), CancellationToken.None);
    }

    public async Task AppendManyAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await AppendAsync(note: $"event {i}");
        }
    }

    /// <summary>Restarts the writer on the same file, as a restarted host would.</summary>
    public async Task RestartAsync()
    {
        await Writer.StopAsync();
        Writer = new AuditLogWriter(Database, Options, Redactor, Signer, Time, NullLogger<AuditLogWriter>.Instance);
        await Writer.StartAsync(CancellationToken.None);
    }

    /// <summary>Runs SQL on the file as an attacker with file access would: triggers dropped first.</summary>
    public async Task TamperAsync(string sql)
    {
        await Writer.StopAsync();
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete; "
            + "DROP TRIGGER IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete; " + sql;
        await command.ExecuteNonQueryAsync();
    }

    public AuditVerificationResult VerifyFile(bool withExternalFile = true, bool withKey = true)
    {
        SqliteConnection.ClearAllPools();
        using var key = withKey ? PublicKey() : null;
        var notes = AuditDatabaseFile.ReadCheckpointNotes(DatabasePath).ToList();
        if (withExternalFile && File.Exists(Options.CheckpointFile))
        {
            notes.AddRange(CheckpointFile.ReadNotes(Options.CheckpointFile));
        }

        return new AuditVerifier(key).Verify(AuditDatabaseFile.ReadEvents(DatabasePath), notes);
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.StopAsync();
        Signer.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; it is under the temp folder.
        }
    }
}
