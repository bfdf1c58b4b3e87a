namespace AgentHost.Core.Runs;

/// <summary>
/// A run's tool calls counted by outcome: what its actions came to, which the run's status alone does
/// not say (a run "succeeds" when the model stops, whether or not its deploy was rejected). Counted from
/// run_tool_calls when the run is read, so it can never disagree with the calls themselves.
/// <see cref="Pending"/> are proposed, in flight or awaiting approval; <see cref="DryRun"/> are a test run's writes, decided but never executed.
/// </summary>
public sealed record RunActions(int Executed, int Failed, int Denied, int Rejected, int Expired, int OutcomeUnknown, int Cancelled, int Pending, int DryRun = 0)
{
    public static RunActions None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    public int Total => Executed + NotExecuted + Pending;

    /// <summary>Calls that reached a final outcome other than executed (failed counts: its effect did not happen as asked).</summary>
    public int NotExecuted => Failed + Denied + Rejected + Expired + OutcomeUnknown + Cancelled + DryRun;

    /// <summary>True when every proposed call executed (or none was proposed): only then is "succeeded" the whole story.</summary>
    public bool AllExecuted => NotExecuted == 0 && Pending == 0;

    /// <summary>"1 rejected, 2 cancelled": the outcomes that are not executed, in a fixed order; empty when there are none.</summary>
    public string NotExecutedText => string.Join(", ", new[]
    {
        (Failed, "failed"), (Denied, "denied"), (Rejected, "rejected"), (Expired, "expired"), (OutcomeUnknown, "outcome unknown"), (Cancelled, "cancelled"), (DryRun, "not executed (dry run)"),
    }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}"));
}
