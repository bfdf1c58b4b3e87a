using System.Data.Common;

namespace AgentHost.Core.Storage;

/// <summary>
/// Brings the database to the newest schema at start-up. Each migration runs in its own transaction
/// together with its version row, so a crash leaves the schema at a version, never between two.
/// </summary>
public static class SchemaMigrator
{
    public static async Task<int> MigrateAsync(StoreDatabase database, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(migrations);
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);", cancellationToken);
        var postgres = database.Dialect == StoreDialect.Postgres;
        var applied = 0;
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
            using var check = connection.CreateCommand();
            check.Transaction = transaction;

            if (postgres)
            {
                // Several processes start at once on PostgreSQL: one migrates, the others wait and find it done.
                await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(7262011)", cancellationToken);
            }

            check.CommandText = "SELECT COUNT(*) FROM schema_version WHERE version = @v";
            check.AddParameter("@v", migration.Version);
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.For(database.Dialect), cancellationToken);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @at)";
            record.AddParameter("@v", migration.Version);
            record.AddParameter("@n", migration.Name);
            record.AddParameter("@at", TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            applied++;
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
