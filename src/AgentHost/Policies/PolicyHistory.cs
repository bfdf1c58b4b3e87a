namespace AgentHost.Policies;

/// <summary>The recent load attempts, newest first. The audit trail keeps all of them; this is the quick view.</summary>
public sealed class PolicyHistory
{
    private const int Kept = 50;
    private readonly Lock _gate = new();
    private readonly LinkedList<PolicyLoadRecord> _records = new();

    public void Add(PolicyLoadRecord record)
    {
        lock (_gate)
        {
            _records.AddFirst(record);
            if (_records.Count > Kept)
            {
                _records.RemoveLast();
            }
        }
    }

    public IReadOnlyList<PolicyLoadRecord> Recent()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }
}
