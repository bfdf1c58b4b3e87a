using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AgentHost.Core.Storage;

/// <summary>
/// The embedded store. Every connection runs in WAL mode with synchronous=FULL, so a committed
/// transaction survives power loss, which the audit trail's "awaited means durable" promise needs.
/// </summary>
public sealed class SqliteDatabase : StoreDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource)
            && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = builder.ToString();
        FilePath = builder.DataSource;
    }

    public string FilePath { get; }

    public override StoreDialect Dialect => StoreDialect.Sqlite;

    public override string Description => FilePath;

    /// <summary>The SQLite connection itself, for what only SQLite has (attaching the audit search file).</summary>
    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken) => (SqliteConnection)await OpenAsync(cancellationToken);

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
