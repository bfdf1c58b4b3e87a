namespace AgentHost.Runs;

/// <summary>
/// Hears that a run ended without the run loop knowing who listens (Slack answers the mention that
/// started it). Zero or many are registered. An observer must not block: it enqueues its work and returns.
/// </summary>
public interface IRunObserver
{
    void Ended(RunEnded ended);
}
