using AgentHost.Core.Audit;

namespace AgentHost.Audit.Siem;

/// <summary>A connection to one destination. Two kinds (syslog, webhook) and a seam for tests.</summary>
public interface ISiemSender : IAsyncDisposable
{
    /// <summary>Sends events in order; throws when they may not have arrived (the forwarder then sends them again).</summary>
    Task SendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Whether what was sent so far can count as delivered. A webhook's 2xx is an acknowledgement (always
    /// true); syslog over TCP has none (RFC 6587), so it answers whether the receiver still holds the
    /// connection the events went over: if it closed it, they may be lost and are sent again.
    /// </summary>
    bool ConfirmSent();
}
