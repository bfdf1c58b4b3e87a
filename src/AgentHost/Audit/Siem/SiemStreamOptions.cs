using System.ComponentModel.DataAnnotations;

namespace AgentHost.Audit.Siem;

/// <summary>
/// The SIEM stream (docs/siem.md): audit events forwarded in order, at least once, to each destination.
/// No destination configured, nothing runs.
/// </summary>
public sealed class SiemStreamOptions
{
    public const string Section = "SiemStream";

    public List<SiemDestinationOptions> Destinations { get; set; } = [];

    /// <summary>Most events read and sent at once (one webhook request, one socket write).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How often a caught-up destination looks for new events.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first wait after a failed send; doubled after each failure up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a worker holds a destination without renewing; another worker takes over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most time one connect or send may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
