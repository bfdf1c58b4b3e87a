namespace AgentHost.Core.Employees;

/// <summary>Either a directory or the reasons there is none; a broken file is an expected outcome, not an exception.</summary>
public sealed record DirectoryLoadResult(EmployeeDirectory? Directory, IReadOnlyList<DirectoryError> Errors)
{
    public bool Succeeded => Directory is not null;
}
