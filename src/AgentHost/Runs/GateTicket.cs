using AgentHost.Core.Tools;

namespace AgentHost.Runs;

/// <summary>
/// Proof that the gate allowed one exact call, carried in the async flow of the loop that invokes it:
/// the run, the host's call id, the function and the SHA-256 of the canonical arguments. The invocation
/// filter refuses a call without a ticket, with other arguments or another function, and a ticket
/// presented twice (one decision, one execution).
/// </summary>
public sealed class GateTicket(string function, string callId, string agentId, string runId, string argumentsSha256)
{
    private static readonly AsyncLocal<GateTicket?> Holder = new();
    private int _redeemed;

    public static GateTicket? Current => Holder.Value;

    public string Function { get; } = function;

    public string CallId { get; } = callId;

    public string AgentId { get; } = agentId;

    public string RunId { get; } = runId;

    public string ArgumentsSha256 { get; } = argumentsSha256;

    public bool Redeemed => Volatile.Read(ref _redeemed) == 1;

    /// <summary>
    /// The plugin's typed answer, handed back beside the text the model sees, so the outcome (executed or
    /// failed) is read from the plugin and never parsed back out of that text. Null when the plugin never ran.
    /// </summary>
    public ToolResult? Result { get; private set; }

    public void Answer(ToolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    public static IDisposable Issue(GateTicket ticket)
    {
        Holder.Value = ticket;
        return new Revocation();
    }

    /// <summary>True the first time only: a ticket admits one invocation.</summary>
    public bool TryRedeem() => Interlocked.Exchange(ref _redeemed, 1) == 0;

    private sealed class Revocation : IDisposable
    {
        public void Dispose() => Holder.Value = null;
    }
}
