namespace AgentHost.Runs;

/// <summary>
/// Proof that the gate allowed this exact call, carried in the async flow of the loop that invokes it.
/// The invocation filter refuses any function call that arrives without its ticket.
/// </summary>
public sealed record GateTicket(string Function, string CallId, string AgentId, string RunId)
{
    private static readonly AsyncLocal<GateTicket?> Holder = new();

    public static GateTicket? Current => Holder.Value;

    public static IDisposable Issue(GateTicket ticket)
    {
        Holder.Value = ticket;
        return new Revocation();
    }

    private sealed class Revocation : IDisposable
    {
        public void Dispose() => Holder.Value = null;
    }
}
