namespace AgentHost.Core.Approvals;

/// <summary>How far one group of an approval has got: approvals counted towards it out of those it needs.</summary>
public sealed record GroupProgress(string Group, int Required, int Approved)
{
    public int Remaining => Math.Max(0, Required - Approved);

    /// <summary>"1 more of security (0 of 1)", or "security done (1 of 1)".</summary>
    public override string ToString() => Remaining > 0
        ? $"{Remaining} more of {Group} ({Approved} of {Required})"
        : $"{Group} done ({Approved} of {Required})";
}
