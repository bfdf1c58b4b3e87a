using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Store;

public static class StoreRegistration
{
    public static WebApplicationBuilder AddStore(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.Configuration.GetConnectionString("AgentHost") ?? "Data Source=data/agenthost.db";
        if (configured.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("ConnectionStrings:AgentHost names PostgreSQL, whose provider is not in this build yet; use 'Data Source=<file>' (SQLite).");
        }

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
            throw new InvalidOperationException("ConnectionStrings:AgentHost needs 'Data Source=<file>'");
        }

        if (sqlite.DataSource != ":memory:" && !Path.IsPathRooted(sqlite.DataSource))
        {
            sqlite.DataSource = Path.Combine(builder.Environment.ContentRootPath, sqlite.DataSource);
        }

        builder.Services.AddSingleton(new SqliteDatabase(sqlite.ToString()));
        builder.Services.AddHostedService<SchemaMigrationService>();
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return builder;
    }
}
