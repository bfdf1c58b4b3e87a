using System.ComponentModel.DataAnnotations;

namespace AgentHost.Runs;

/// <summary>
/// Blast radius per agent and hour (ARCHITECTURE.md 2a): a fooled or looping agent can start only so many
/// runs and ask people for only so many approvals. Counted from the store, so the limits hold across
/// web and worker processes.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Runs started per agent in any sliding hour, by any trigger.</summary>
    [Range(1, 100_000)]
    public int RunsPerAgentPerHour { get; set; } = 500;

    /// <summary>Approval requests per agent in any sliding hour; approvers' attention is the scarce resource.</summary>
    [Range(1, 10_000)]
    public int ApprovalsPerAgentPerHour { get; set; } = 50;

    /// <summary>
    /// Writes and destructive calls an agent may hand to plugins in any sliding minute, over all its runs:
    /// what a fooled agent can do before a person notices is counted, not only its tokens.
    /// </summary>
    [Range(1, 10_000)]
    public int EffectsPerAgentPerMinute { get; set; } = 30;

    /// <summary>
    /// Runs one worker process drives at once. A run holds a job worker (a thread, mostly blocked) while
    /// it waits for the model, so this, not the cores, bounds how many agents think at the same time:
    /// a model that answers in 2 s lets 64 runs make 32 turns a second.
    /// </summary>
    [Range(1, 1_000)]
    public int RunsPerProcess { get; set; } = 64;
}
