using System.Security.Cryptography;

namespace AgentHost.Core.Runs;

/// <summary>
/// Which process executes a running run, and until when that claim holds unless renewed. A worker that
/// dies stops renewing; once its leases run out, a survivor recovers the runs. Processes sharing one
/// store must agree on <see cref="Duration"/>.
/// </summary>
public sealed record RunLease(string Owner, TimeSpan Duration)
{
    public static TimeSpan DefaultDuration { get; } = TimeSpan.FromSeconds(60);

    public static RunLease ForThisProcess(TimeSpan? duration = null) =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}", duration ?? DefaultDuration);
}
