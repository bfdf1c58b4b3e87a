namespace AgentHost.Core.Agents;

/// <summary>Limits on what one agent may spend. Exceeding one stops the run with budget.exceeded.</summary>
public sealed record AgentBudgets(
    int TokensPerRun = 50_000,
    int TokensPerDay = 500_000,
    int MaxTurns = 20,
    TimeSpan? MaxWallTime = null,
    int MaxConcurrentRuns = 2)
{
    public static AgentBudgets Default { get; } = new();

    public TimeSpan WallTime => MaxWallTime ?? TimeSpan.FromMinutes(10);
}
