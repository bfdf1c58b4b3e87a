using AgentHost.Core.Audit;

namespace AgentHost.Audit;

/// <summary>Runs the audit writer for the host's lifetime; stopping it writes a last checkpoint.</summary>
public sealed class AuditWriterService(AuditLogWriter writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => writer.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => writer.StopAsync();
}
