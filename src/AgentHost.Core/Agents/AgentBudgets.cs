namespace AgentHost.Core.Agents;

/// <summary>
/// Limits on what one agent may spend. Exceeding one stops the run with budget.exceeded, except
/// <see cref="MaxToolCallsPerTurn"/>: the calls of a reply past it are refused (audited) and the model is told.
/// </summary>
public sealed record AgentBudgets(
    int TokensPerRun = 50_000,
    int TokensPerDay = 500_000,
    int MaxTurns = 20,
    TimeSpan? MaxWallTime = null,
    int MaxConcurrentRuns = 2,
    int MaxToolCallsPerTurn = 20,
    int MaxToolCallsPerRun = 200)
{
    public static AgentBudgets Default { get; } = new();

    public TimeSpan WallTime => MaxWallTime ?? TimeSpan.FromMinutes(10);
}
