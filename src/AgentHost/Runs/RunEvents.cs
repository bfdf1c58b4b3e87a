namespace AgentHost.Runs;

/// <summary>Tells every registered <see cref="IRunObserver"/>, in registration order.</summary>
public sealed class RunEvents(IEnumerable<IRunObserver> observers)
{
    private readonly IRunObserver[] _observers = [.. observers];

    public void Ended(RunEnded ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        foreach (var observer in _observers)
        {
            observer.Ended(ended);
        }
    }
}
