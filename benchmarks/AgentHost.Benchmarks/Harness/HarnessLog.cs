using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Benchmarks.Harness;

/// <summary>A fresh, running audit log in its own folder, wired as the host wires it.</summary>
public sealed class HarnessLog : IAsyncDisposable
{
    private HarnessLog(string directory, SqliteDatabase database, AuditOptions options, CheckpointSigner signer, AuditLogWriter writer)
    {
        Directory = directory;
        Database = database;
        Options = options;
        Signer = signer;
        Writer = writer;
    }

    public string Directory { get; }

    public SqliteDatabase Database { get; }

    public AuditOptions Options { get; }

    public CheckpointSigner Signer { get; }

    public AuditLogWriter Writer { get; }

    public static async Task<HarnessLog> StartAsync(string directory)
    {
        var database = new SqliteDatabase($"Data Source={Path.Combine(directory, "audit.db")}");
        await SchemaMigrator.MigrateAsync(database, Schema.Migrations, CancellationToken.None);
        var options = new AuditOptions { KeyPath = Path.Combine(directory, "key.pem"), CheckpointFile = Path.Combine(directory, "checkpoints.log") };
        var signer = CheckpointSigner.LoadOrCreate(options.KeyPath, options.Origin);
        var writer = new AuditLogWriter(database, options, SecretRedactor.None, signer, TimeProvider.System, NullLogger<AuditLogWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        return new HarnessLog(directory, database, options, signer, writer);
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.StopAsync();
        Signer.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
