using System.ComponentModel.DataAnnotations;
using AgentHost.Core.Audit.Content;

namespace AgentHost.Core.Audit;

public sealed class AuditOptions
{
    public const string Section = "Audit";

    [Range(1, 1_000_000)]
    public int CheckpointEveryEvents { get; set; } = 1000;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Required]
    public string Origin { get; set; } = "agenthost/audit";

    /// <summary>ECDSA P-256 private key (PKCS#8 PEM), created on first run.</summary>
    [Required]
    public string KeyPath { get; set; } = "data/audit-signing-key.pem";

    /// <summary>Signed checkpoints are appended here too, outside the database.</summary>
    [Required]
    public string CheckpointFile { get; set; } = "data/checkpoints.log";

    /// <summary>Most events committed in one transaction; more waiting appenders share the next one.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 1024;

    /// <summary>Largest piece of conversation content kept whole (a model message, a tool result, an output); more is cut with a marker.</summary>
    [Range(4 * 1024, 64 * 1024 * 1024)]
    public int ContentMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>How long each kind of conversation content is kept; unset keeps it for ever. Legal holds exempt agents and runs.</summary>
    public ContentRetentionOptions Retention { get; set; } = new();
}
