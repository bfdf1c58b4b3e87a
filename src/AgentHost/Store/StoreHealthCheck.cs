using AgentHost.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentHost.Store;

public sealed class StoreHealthCheck(StoreDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM schema_version";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (System.Data.Common.DbException ex)
        {
            return HealthCheckResult.Unhealthy("the store does not answer", ex);
        }
    }
}
