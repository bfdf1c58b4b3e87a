namespace AgentHost.Core.Policies.Testing;

/// <summary>The outcome of one policy test case, located in its file.</summary>
public sealed record PolicyTestResult(string File, long Line, string Name, bool Passed, string Message)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {File}:{Line} {Name}{(Passed ? string.Empty : ": " + Message)}";
}
