using System.ComponentModel.DataAnnotations;

namespace AgentHost.Core.Audit.Content;

/// <summary>Audit:Retention: per kind, the age after which content is removed (its leaf and hash stay).</summary>
public sealed class ContentRetentionOptions
{
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan? Model { get; set; }

    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan? ToolResult { get; set; }

    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan? Output { get; set; }

    /// <summary>How often the sweep looks for content past its retention.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan? For(AuditContentKind kind) => kind switch
    {
        AuditContentKind.Model => Model,
        AuditContentKind.ToolResult => ToolResult,
        AuditContentKind.Output => Output,
        _ => null,
    };
}
