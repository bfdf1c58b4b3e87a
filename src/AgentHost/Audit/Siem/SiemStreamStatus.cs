using Microsoft.Extensions.Options;

namespace AgentHost.Audit.Siem;

/// <summary>The configured destinations with their stored cursors, read from the store so that a web process shows what the workers did.</summary>
public sealed class SiemStreamStatus(IOptions<SiemStreamOptions> options, SiemCursorStore cursors)
{
    public bool Configured => options.Value.Destinations.Count > 0;

    public async Task<IReadOnlyList<SiemDestinationStatus>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return [];
        }

        var head = await cursors.HeadAsync(cancellationToken);
        var stored = await cursors.AllAsync(cancellationToken);
        return [.. options.Value.Destinations.Select(d => new SiemDestinationStatus(d.Name, d.Kind, d.Target, head, stored.GetValueOrDefault(d.Name)))];
    }
}
