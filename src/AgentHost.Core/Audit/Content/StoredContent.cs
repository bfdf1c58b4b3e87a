using System.Text;

namespace AgentHost.Core.Audit.Content;

/// <summary>A row of audit_content; <see cref="Body"/> is null once retention removed it.</summary>
public sealed record StoredContent(string Sha256, AuditContentKind Kind, long Bytes, long OriginalBytes, byte[]? Body, DateTimeOffset StoredAt, DateTimeOffset? RemovedAt)
{
    public bool Removed => Body is null;

    /// <summary>The text, or null when removed under retention.</summary>
    public string? Text() => Body is null ? null : Encoding.UTF8.GetString(AuditContent.Decompress(Body, Bytes));
}
