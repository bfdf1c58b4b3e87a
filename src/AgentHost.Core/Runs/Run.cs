namespace AgentHost.Core.Runs;

/// <summary>One execution of an agent: who asked, what it was asked, how far it got and what it cost.</summary>
public sealed record Run(
    string Id,
    string AgentId,
    string Requester,
    string Input,
    string Status,
    int Turns,
    long InputTokens,
    long OutputTokens,
    string? Output,
    string? StopReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    public long Tokens => InputTokens + OutputTokens;
}
