namespace AgentHost.Runs;

/// <summary>What handling a call, or the calls of a reply, left the run in: only <see cref="Continues"/> lets the turn loop go on.</summary>
public enum RunProgress
{
    /// <summary>The call has its result in the history; the next call or turn follows.</summary>
    Continues,

    /// <summary>The run waits for people (an approval) and holds nothing until it is resumed.</summary>
    Parked,

    /// <summary>The run has its final status (stopped, failed): nothing more happens in it.</summary>
    Ended,
}
