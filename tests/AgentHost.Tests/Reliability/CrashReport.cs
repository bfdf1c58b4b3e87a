using System.Globalization;

namespace AgentHost.Tests.Reliability;

/// <summary>What a crash-harness session saw: how runs ended and how often a kill caught a call in flight.</summary>
internal sealed class CrashReport(int trials, int runs)
{
    public int Trials { get; } = trials;

    public int Runs { get; } = runs;

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    public int OutcomeUnknown { get; private set; }

    public int OutcomeUnknownWithEffect { get; private set; }

    public int Effects { get; set; }

    public long AuditEvents { get; set; }

    public void Count(string status, IReadOnlyList<string> callOutcomes, bool effectHappened)
    {
        if (status == "succeeded")
        {
            Succeeded++;
        }
        else
        {
            Failed++;
        }

        if (callOutcomes.Contains("outcome_unknown"))
        {
            OutcomeUnknown++;
            OutcomeUnknownWithEffect += effectHappened ? 1 : 0;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"""
        | trials (worker SIGKILLs) | runs | succeeded | failed (worker died) | calls outcome_unknown (of which had their effect) | effects | effects repeated | audit events, chain valid |
        |---|---|---|---|---|---|---|---|
        | {Trials} | {Runs} | {Succeeded} | {Failed} | {OutcomeUnknown} ({OutcomeUnknownWithEffect}) | {Effects} | 0 | {AuditEvents}, yes |
        """);
}
