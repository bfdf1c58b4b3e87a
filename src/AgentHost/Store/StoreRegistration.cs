using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Store;

public static class StoreRegistration
{
    public static WebApplicationBuilder AddStore(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.Configuration.GetConnectionString("AgentHost") ?? "Data Source=data/agenthost.db";
        StoreDatabase database = IsPostgres(configured) ? Postgres(configured) : Sqlite(configured, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(database);
        if (database is SqliteDatabase sqlite)
        {
            builder.Services.AddSingleton(sqlite);
        }

        builder.Services.AddSingleton(StoreMigration.From(builder.Configuration));
        builder.Services.AddHostedService<SchemaMigrationService>();
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return builder;
    }

    /// <summary>Npgsql's keywords (Host=, Server=) name PostgreSQL; anything else is a SQLite file.</summary>
    public static bool IsPostgres(string connectionString) =>
        connectionString.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
        || connectionString.TrimStart().StartsWith("Server=", StringComparison.OrdinalIgnoreCase);

    private static PostgresDatabase Postgres(string configured)
    {
        try
        {
            return new PostgresDatabase(configured);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:AgentHost is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
    }

    private static SqliteDatabase Sqlite(string configured, string contentRoot)
    {
        SqliteConnectionStringBuilder sqlite;
        try
        {
            sqlite = new SqliteConnectionStringBuilder(configured);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:AgentHost is not a valid SQLite connection string: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(sqlite.DataSource))
        {
            throw new InvalidOperationException("ConnectionStrings:AgentHost needs 'Data Source=<file>' (SQLite) or 'Host=...' (PostgreSQL)");
        }

        if (sqlite.DataSource != ":memory:" && !Path.IsPathRooted(sqlite.DataSource))
        {
            sqlite.DataSource = Path.Combine(contentRoot, sqlite.DataSource);
        }

        return new SqliteDatabase(sqlite.ToString());
    }
}
