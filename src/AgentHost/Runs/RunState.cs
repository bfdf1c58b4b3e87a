using AgentHost.Core.Agents;
using AgentHost.Core.Runs;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Runs;

/// <summary>A run in flight: everything the loop carries from turn to turn.</summary>
public sealed class RunState(Run run, Agent agent, AgentBudgets budgets, Kernel kernel, ChatHistory history, int turn, long inputTokens, long outputTokens, long decidedCalls)
{
    private Task _unsettled = Task.CompletedTask;

    public Run Run { get; } = run;

    public Agent Agent { get; } = agent;

    public AgentBudgets Budgets { get; } = budgets;

    public Kernel Kernel { get; } = kernel;

    public ChatHistory History { get; } = history;

    public int Turn { get; set; } = turn;

    public long InputTokens { get; set; } = inputTokens;

    public long OutputTokens { get; set; } = outputTokens;

    /// <summary>Calls the gate decided in this run so far (maxToolCallsPerRun).</summary>
    public long DecidedCalls { get; set; } = decidedCalls;

    /// <summary>Set when a reply went over maxToolCallsPerRun: the run stops once that reply is handled.</summary>
    public bool RunBudgetSpent { get; set; }

    /// <summary>Trail content this process already stored for the run: sent again, it is only named, not rewritten.</summary>
    public HashSet<string> StoredContent { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes a write the audit writer has queued after an effect (the call's outcome, the saved history)
    /// without waiting for its commit: it becomes durable with the writer's next group commit, which the
    /// run's next decision may share, while the run goes on to the model. The run waits for it
    /// (<see cref="SettleAsync"/>) before its next effect, parking or ending, and after its next decision
    /// (the writer commits in order, so that wait is free). Until then a crash leaves the call requested
    /// without an outcome, which recovery closes as outcome_unknown.
    /// </summary>
    public void Defer(Task write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _unsettled = _unsettled.IsCompletedSuccessfully ? write : Task.WhenAll(_unsettled, write);
    }

    /// <summary>Waits until every deferred write is durable; throws the first one's failure.</summary>
    public Task SettleAsync()
    {
        var unsettled = _unsettled;
        _unsettled = Task.CompletedTask;
        return unsettled;
    }
}
