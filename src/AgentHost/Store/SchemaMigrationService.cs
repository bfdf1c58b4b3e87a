using AgentHost.Core.Storage;

namespace AgentHost.Store;

/// <summary>
/// Brings the schema up to date before anything else starts (registered first), as the owner when
/// `ConnectionStrings:AgentHostOwner` is given, then grants the application role its rights.
/// </summary>
public sealed partial class SchemaMigrationService(StoreDatabase database, StoreMigration migration, ILogger<SchemaMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!migration.Migrates)
        {
            LogNotMigrating(logger, database.Description);
            return;
        }

        var owner = migration.OwnerConnectionString is { } ownerConnection && database.Dialect == StoreDialect.Postgres ? new PostgresDatabase(ownerConnection) : null;
        try
        {
            var applied = await SchemaMigrator.MigrateAsync(owner ?? database, Schema.Migrations, cancellationToken);
            if (migration.AppRole is { } appRole && database.Dialect == StoreDialect.Postgres)
            {
                await StoreGrants.ApplyAsync(owner ?? database, appRole, cancellationToken);
            }

            LogMigrated(logger, applied, database.Description);
        }
        finally
        {
            if (owner is not null)
            {
                await owner.DisposeAsync();
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Store ready: {Applied} migrations applied to {Path}")]
    private static partial void LogMigrated(ILogger logger, int applied, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Path}: not migrating (Store:Migrate=false, no ConnectionStrings:AgentHostOwner)")]
    private static partial void LogNotMigrating(ILogger logger, string path);
}
