using AgentHost.Core.Storage;

namespace AgentHost.Store;

/// <summary>Brings the schema up to date before anything else starts (registered first).</summary>
public sealed partial class SchemaMigrationService(StoreDatabase database, ILogger<SchemaMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await SchemaMigrator.MigrateAsync(database, Schema.Migrations, cancellationToken);
        LogMigrated(logger, applied, database.Description);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Store ready: {Applied} migrations applied to {Path}")]
    private static partial void LogMigrated(ILogger logger, int applied, string path);
}
