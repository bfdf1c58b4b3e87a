namespace AgentHost.Mcp;

/// <summary>The outcome of an approval: the pinned hashes, or the status and reason it was refused.</summary>
public sealed record McpApprovalResult(int Status, string? Refusal, IReadOnlyDictionary<string, string>? Pinned)
{
    public static McpApprovalResult Refused(int status, string reason) => new(status, reason, null);
}
