namespace AgentHost.Approvals;

/// <summary>Tells every registered <see cref="IApprovalObserver"/>, in registration order.</summary>
public sealed class ApprovalEvents(IEnumerable<IApprovalObserver> observers)
{
    private readonly IApprovalObserver[] _observers = [.. observers];

    public void Requested(ApprovalRequested requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        foreach (var observer in _observers)
        {
            observer.Requested(requested);
        }
    }

    public void Changed(ApprovalChanged changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach (var observer in _observers)
        {
            observer.Changed(changed);
        }
    }
}
