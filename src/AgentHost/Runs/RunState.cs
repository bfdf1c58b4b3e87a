using AgentHost.Core.Agents;
using AgentHost.Core.Runs;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Runs;

/// <summary>A run in flight: everything the loop carries from turn to turn.</summary>
public sealed class RunState(Run run, Agent agent, AgentBudgets budgets, Kernel kernel, ChatHistory history, int turn, long inputTokens, long outputTokens, long decidedCalls)
{
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
}
