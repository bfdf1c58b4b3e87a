namespace AgentHost.Core.Runs;

/// <summary>
/// One execution of an agent: who asked, what it was asked, how far it got and what it cost.
/// <see cref="StartedBy"/> is the signed-in person who triggered it (API, web, Slack mention); null for a
/// schedule or a mail arrival, whose sender proves nothing. <see cref="DryRun"/>: a test run whose writes
/// are decided but not executed. <see cref="AgentVersion"/>: the agent's version (its history's number) the
/// run ran; null for runs from before history was kept.
/// </summary>
public sealed record Run(
    string Id,
    string AgentId,
    string Requester,
    string Input,
    RunStatus Status,
    int Turns,
    long InputTokens,
    long OutputTokens,
    string? Output,
    string? StopReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? StartedBy = null,
    bool DryRun = false,
    long? AgentVersion = null)
{
    public long Tokens => InputTokens + OutputTokens;

    /// <summary>Its tool calls by outcome, as the store counted them when the run was read.</summary>
    public RunActions Actions { get; init; } = RunActions.None;
}
