namespace AgentHost.Core.Employees;

/// <summary>A problem in a directory file, located so that whoever edits it can find it.</summary>
public sealed record DirectoryError(string File, long Line, long Column, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): {Message}";
}
