namespace AgentHost.Runs;

/// <summary>
/// The tokens one run's model calls cost, written by <see cref="ModelCallAccounting"/> and read by the
/// turn loop once per turn. One ledger per run's kernel; a turn's calls are sequential.
/// </summary>
public sealed class ModelCallLedger
{
    private long _input;
    private long _output;

    public void Record(long inputTokens, long outputTokens)
    {
        _input += inputTokens;
        _output += outputTokens;
    }

    /// <summary>The tokens recorded since the last take (this turn's), and starts counting again.</summary>
    public (long InputTokens, long OutputTokens) Take()
    {
        var taken = (_input, _output);
        (_input, _output) = (0, 0);
        return taken;
    }
}
